"""Documents rendered to PDF with WeasyPrint from Django templates: answer letters, acts.

docs/security.md 15: a PDF fetches nothing a user controls. WeasyPrint's own fetcher reads `file://`,
speaks HTTP and follows redirects; user text (an appeal, a note) ends up in these documents, and
a `<link rel=attachment href=file:///etc/passwd>` in it embedded the local file into the PDF
(reproduced here). Autoescaping keeps tags out of the text; the fetcher below is the second wall,
for the day someone writes `|safe`: it serves `data:` URLs and the bundled static files, and
refuses everything else, which WeasyPrint then leaves out of the document.

Templates name static files with `{% load documents %}{% pdf_static "documents/letter.css" %}`
(a `file://` URL that the fetcher accepts), not with `{% static %}`: a PDF has no web server.
Time limits belong to the Celery task that calls `render_pdf`; the function itself reads no
database and writes nothing.
"""

import contextlib
import logging
import mimetypes
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from prosecution.lib import text

logger = logging.getLogger(__name__)


class ResourceRefused(ValueError):
    """Raised by the fetcher for a URL it will not read; WeasyPrint logs it and renders the
    document without that image, stylesheet, font or attachment."""


def static_roots() -> list[Path]:
    """The real paths of the directories the static finders search (STATICFILES_DIRS and each
    app's static/). Whitenoise serves these files to anyone, so embedding one leaks nothing."""
    roots = []
    for finder in finders.get_finders():
        # FileSystemFinder and AppDirectoriesFinder both keep one storage per directory.
        for storage in getattr(finder, "storages", {}).values():
            roots.append(Path(os.path.realpath(storage.location)))
    return roots


def static_file_url(path: str) -> str:
    """The `file://` URL of a bundled static file, for a template rendered to PDF."""
    found = finders.find(path)
    if not found:
        raise ValueError(f"No static file {path!r} to put in a PDF.")
    return Path(os.path.realpath(found)).as_uri()


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, narrowed to `data:` URLs and files inside `roots` (by default
    the static directories). No network, ever: the intranet has none, and a request to
    127.0.0.1 or an internal host from the server would be a server-side request forgery."""

    def __init__(self, roots: list[Path] | None = None) -> None:
        # The parent only ever sees data: URLs (see fetch); telling it so and forbidding
        # redirects is a second lock on the same door.
        super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False)
        self.roots = static_roots() if roots is None else [Path(os.path.realpath(r)) for r in roots]

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._static_file(url)
        raise self._refuse(url, "only data: and bundled static files")

    def _static_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, "a file on another host")
        # `..` is refused before any normalisation, %2e%2e included (unquoted above); the real
        # path below then catches symbolic links that lead out of the static directories.
        if not path.startswith("/") or "\x00" in path or ".." in path.split("/"):
            raise self._refuse(url, "not a plain absolute path")
        real = Path(os.path.realpath(path))
        if not any(real.is_relative_to(root) for root in self.roots) or not real.is_file():
            raise self._refuse(url, "not a bundled static file")
        content_type = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=real.read_bytes(), headers={"Content-Type": content_type}
        )

    @staticmethod
    def _refuse(url: str, reason: str) -> ResourceRefused:
        logger.warning("PDF resource refused (%s): %.200s", reason, url)
        return ResourceRefused(f"{reason}: {url[:200]}")


def render_pdf(
    template_name: str, context: dict, *, language: str, base_url: str | None = None
) -> bytes:
    """Render `template_name` in `language` (fixed strings, dates, the office's name) and return
    the PDF. `base_url` resolves relative URLs; what they resolve to still passes the fetcher."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"No such language for a document: {language!r}")
    with translation.override(language):
        # Without the characters nobody sees: a right-to-left override in an answer reversed a
        # line of the letter (prosecution/lib/text.py).
        html = text.neutralise(render_to_string(template_name, context))
        document = HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher())
        return document.write_pdf()


def store_pdf(key: str, pdf: bytes) -> str:
    """Keep a rendered PDF in the private files, outside every web root, under the layout
    prosecution/files/uploads.py stores and serves by (`<2 hex>/<2 hex>/<key>.pdf`), written whole
    (write_atomically); returns its stored name. `key` is the owning row's uuid in hex."""
    stored_name = f"{key[:2]}/{key[2:4]}/{key}.pdf"
    path = Path(settings.PRIVATE_FILES_ROOT) / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, pdf)
    return stored_name


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees the old file or the whole new one, never half
    of it: a temporary file in the same directory (os.replace is atomic only within one file
    system), flushed to disk, then renamed over `path`."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o640)  # mkstemp's 0600 would hide it from a web process in the group
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    # The rename is an entry in the directory: flush that too, or a crash may forget it.
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
