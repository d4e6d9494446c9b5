"""PDFs (docs/security.md 15): rendered in the document's language, with the bundled font, and
fetching nothing a user controls, not even when raw HTML reaches the template through |safe.

The demo letter is tests/templates/documents_test/answer_letter.html, found through a test-only
template directory. Each attack is also run through WeasyPrint's own fetcher, to show that the
attack is real and that the test would see it succeed.
"""

import base64
import copy
import os
import subprocess
import sys
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from weasyprint import HTML

from prosecution.files import documents
from prosecution.files.documents import (
    ResourceRefused,
    StaticOnlyFetcher,
    render_pdf,
    static_file_url,
    write_atomically,
)
from prosecution.models import Office
from tests.pdf_helpers import read, text

TESTS = Path(__file__).resolve().parents[2]
KAZAKH_LETTERS = "әғқңөұүһі"
LETTER = "documents_test/answer_letter.html"
# file:///…/static/documents
STATIC_DOCUMENTS = static_file_url("documents/letter.css").rsplit("/", 1)[0]
TINY_PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
        "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
    )
).decode()


@pytest.fixture(autouse=True)
def _test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TESTS / "templates"]
    settings.TEMPLATES = templates


def office() -> Office:
    """Not saved: rendering reads no database."""
    return Office(
        code="R-AKMOLA",
        name_kk=f"Ақмола облысының прокуратурасы ({KAZAKH_LETTERS})",
        name_ru="Прокуратура Акмолинской области",
        name_en="Prosecutor's Office of Akmola Region",
        address="Көкшетау қ., Әуезов к-сі, 1",
    )


def context(**extra) -> dict:
    return {
        "office": office(),
        "reference_number": "2-15-26/1234",
        "date": date(2026, 3, 12),
        "title": "Жауап хат",
        "applicant": "Сейтқали Ә. Ғ.",
        "paragraphs": [f"Сіздің өтінішіңіз қаралды: {KAZAKH_LETTERS}."],
        "signatory_position": "Облыс прокуроры",
        "signatory_name": "Н. Құрманғали",
        **extra,
    }


def font_names(pdf: bytes) -> set[str]:
    """Embedded fonts without the subset prefix ("ABCDEF+Letter-Serif" -> "Letter-Serif")."""
    names = set()
    for page in read(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def embedded_files(pdf: bytes) -> list[str]:
    """Files embedded in the PDF: document attachments and file-attachment annotations."""
    reader = read(pdf)
    found = list(reader.attachments)
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/FileAttachment":
                found.append(str(annotation["/FS"].get_object().get("/F")))
    return found


# --- the letter --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "office_name", "page_label"),
    [
        ("kk", "АҚМОЛА ОБЛЫСЫНЫҢ ПРОКУРАТУРАСЫ", "1 беттің 1-беті"),
        ("ru", "ПРОКУРАТУРА АКМОЛИНСКОЙ ОБЛАСТИ", "Страница 1 из 1"),
        ("en", "PROSECUTOR'S OFFICE OF AKMOLA REGION", "Page 1 of 1"),
    ],
    ids=["kk", "ru", "en"],
)
def test_the_letter_is_in_the_language_of_the_document(language, office_name, page_label):
    content = text(render_pdf(LETTER, context(), language=language))
    assert office_name in content
    assert page_label in content  # the footer's fixed text, translated, with the page numbers
    assert "Көкшетау қ., Әуезов к-сі, 1" in content
    assert "2-15-26/1234" in content and "12.03.2026" in content
    assert "Облыс прокуроры" in content and "Н. Құрманғали" in content
    assert "Сейтқали Ә. Ғ." in content


def test_kazakh_letters_are_in_the_text_layer_in_the_bundled_font(monkeypatch):
    fetched = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        response = original(self, url, headers)
        fetched.append(url.rsplit("/", 2)[-2:])
        return response

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    pdf = render_pdf(LETTER, context(), language="kk")
    assert KAZAKH_LETTERS in text(pdf)
    assert KAZAKH_LETTERS.upper() in text(pdf)  # the office's name, in capitals
    assert ["documents", "letter.css"] in fetched
    assert ["fonts", "DejaVuSerif.ttf"] in fetched
    assert ["fonts", "DejaVuSerif-Bold.ttf"] in fetched
    # Every glyph comes from the bundled files (letter.css names them "Letter Serif").
    assert font_names(pdf) == {"Letter-Serif", "Letter-Serif-Bold"}


FRESH_MACHINE = """
import sys
from datetime import date

import django

django.setup()
from prosecution.files.documents import render_pdf
from prosecution.models import Office
from tests.pdf_helpers import read, text

office = Office(name_kk=sys.argv[2], name_ru="-", name_en="-", address="")
context = {"office": office, "reference_number": "1", "date": date(2026, 3, 12)}
with open(sys.argv[1], "wb") as out:
    out.write(render_pdf("documents/letterhead.html", context, language="kk"))
"""


def test_kazakh_letters_show_on_a_machine_without_any_font(tmp_path):
    """fontconfig in a child process is given no font directory at all, as on a fresh server.
    (With no font, WeasyPrint's own default crashes in Pango there: the bundled font is what
    makes the PDF.)"""
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>'
    )
    out = tmp_path / "letter.pdf"
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "PYTHONPATH": str(TESTS.parent)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "prosecution.settings")
    name = f"Прокуратура {KAZAKH_LETTERS}"
    child = subprocess.run(
        [sys.executable, "-c", FRESH_MACHINE, str(out), name],
        env=env,
        cwd=TESTS.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr
    pdf = out.read_bytes()
    assert KAZAKH_LETTERS.upper() in text(pdf)
    assert font_names(pdf) <= {"Letter-Serif", "Letter-Serif-Bold"}


def test_page_numbers_count_every_page():
    paragraphs = [f"{n}. Түсініктеме мәтіні, әр жолда бірдей. " * 12 for n in range(16)]
    reader = read(render_pdf(LETTER, context(paragraphs=paragraphs), language="en"))
    assert len(reader.pages) >= 2
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()


def test_user_text_is_escaped():
    """The first wall: user text is autoescaped, so a tag in it is text in the letter."""
    attack = '<link rel="attachment" href="file:///etc/passwd">'
    pdf = render_pdf(LETTER, context(paragraphs=[attack]), language="en")
    assert 'rel="attachment"' in text(pdf)
    assert embedded_files(pdf) == []


def test_an_unknown_language_is_an_error():
    with pytest.raises(ValueError):
        render_pdf(LETTER, context(), language="de")


def test_a_missing_static_file_is_an_error():
    with pytest.raises(ValueError):
        static_file_url("documents/no-such.css")


# --- nothing a user controls is fetched ----------------------------------------------------------


def local_file_attacks(url: str) -> str:
    return (
        f'<link rel="attachment" href="{url}" title="x">'
        f'<a rel="attachment" href="{url}">see the attachment</a>'
        f'<img src="{url}"><object data="{url}"></object><embed src="{url}">'
        f'<link rel="stylesheet" href="{url}">'
        f"<div style=\"background: url('{url}')\">x</div>"
    )


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("root:x:0:0:the secret\n")
    return path


@pytest.mark.parametrize(
    ("raw", "base_url"),
    [
        # docs/security.md 15, exactly as reproduced.
        (local_file_attacks("file:///etc/passwd"), None),
        (local_file_attacks("file://localhost/etc/passwd"), None),
        (local_file_attacks("passwd"), "file:///etc/"),
        (local_file_attacks("/etc/passwd"), "file:///work/"),
        ('<base href="file:///etc/">' + local_file_attacks("passwd"), None),
        (local_file_attacks(f"{STATIC_DOCUMENTS}/../../../../../../../../etc/passwd"), None),
        (local_file_attacks("file:///etc/%2e%2e/etc/passwd"), None),
    ],
    ids=["file", "file-localhost", "relative", "absolute-path", "base-tag", "dot-dot", "encoded"],
)
def test_raw_html_cannot_embed_a_local_file(raw, base_url):
    pdf = render_pdf(LETTER, context(raw=raw), language="en", base_url=base_url)
    assert embedded_files(pdf) == []
    assert "root:" not in text(pdf)


def test_weasyprints_own_fetcher_would_have_embedded_it(secret):
    """The control: the same HTML, rendered with WeasyPrint's default fetcher, carries the file
    (as docs/security.md 15 says), so embedded_files() sees an attack that works."""
    pdf = HTML(string=local_file_attacks(secret.as_uri())).write_pdf()
    assert "secret.txt" in embedded_files(pdf)
    assert b"root:x:0:0" in b"".join(read(pdf).attachments["secret.txt"])


def test_a_symbolic_link_out_of_a_static_directory_is_refused(tmp_path, secret):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p { color: black }")
    (static / "leak.css").symlink_to(secret)
    (tmp_path / "linked").symlink_to(static)  # a root reached through a link is still a root
    fetcher = StaticOnlyFetcher(roots=[tmp_path / "linked"])
    response = fetcher.fetch((static / "ok.css").as_uri())
    assert response.read() == b"p { color: black }" and response.content_type == "text/css"
    with pytest.raises(ResourceRefused):
        fetcher.fetch((static / "leak.css").as_uri())
    with pytest.raises(ResourceRefused):
        fetcher.fetch(static.as_uri())  # a directory


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://fileserver/share/secret.docx",
        "file:///proc/self/environ",
        f"{STATIC_DOCUMENTS}/../../../../../../../../etc/passwd",
        static_file_url("documents/letter.css").replace("/documents/", "/documents/%2e%2e/"),
        "http://127.0.0.1:8000/admin/",
        "https://example.org/font.ttf",
        "ftp://example.org/x",
        "javascript:alert(1)",
        "etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files_and_data(url):
    with pytest.raises(ResourceRefused):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_reads_bundled_static_files_and_data_urls():
    fetcher = StaticOnlyFetcher()
    css = fetcher.fetch(static_file_url("documents/letter.css"))
    assert css.content_type == "text/css" and b"@font-face" in css.read()
    font = fetcher.fetch(static_file_url("fonts/DejaVuSerif.ttf"))
    assert font.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    data = fetcher.fetch(f"data:image/png;base64,{TINY_PNG}")
    assert data.read().startswith(b"\x89PNG")


def test_a_data_image_is_embedded():
    """data: carries its bytes in the document itself: nothing is fetched."""
    raw = f'<img src="data:image/png;base64,{TINY_PNG}" style="width: 10mm">'
    reader = read(render_pdf(LETTER, context(raw=raw), language="en"))
    assert "/XObject" in reader.pages[0]["/Resources"]


class Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    handler = type("Handler", (Recorder,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    server.shutdown()
    server.server_close()


def network_attacks(origin: str) -> str:
    return (
        local_file_attacks(f"{origin}/attachment") + f'<style>@import url("{origin}/import.css");'
        f'@font-face {{ font-family: X; src: url("{origin}/font.ttf") }}'
        f"p {{ font-family: X }}</style>"
        f'<svg><image href="{origin}/svg-image.png" width="10" height="10"/></svg>'
    )


def test_raw_html_cannot_make_the_server_send_a_request(local_server):
    origin, requests = local_server
    pdf = render_pdf(LETTER, context(raw=network_attacks(origin)), language="en")
    assert requests == []
    assert embedded_files(pdf) == []


def test_weasyprints_own_fetcher_would_have_sent_them(local_server):
    """The control: the server does answer, and the default fetcher does ask."""
    origin, requests = local_server
    HTML(string=network_attacks(origin)).write_pdf()
    assert "/attachment" in requests and "/import.css" in requests


# --- artifacts: render to a temporary file, then move --------------------------------------------


def test_write_atomically_replaces_the_whole_file(tmp_path):
    target = tmp_path / "answer.pdf"
    write_atomically(target, b"%PDF-1 old")
    write_atomically(target, b"%PDF-1 new")
    assert target.read_bytes() == b"%PDF-1 new"
    assert os.stat(target).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.pdf"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "answer.pdf"
    write_atomically(target, b"%PDF-1 old")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(documents.os, "replace", crash)
    with pytest.raises(OSError):
        write_atomically(target, b"%PDF-1 new")
    assert target.read_bytes() == b"%PDF-1 old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.pdf"]


def test_the_rendered_pdf_can_be_written_as_an_artifact(tmp_path):
    target = tmp_path / "letters" / "answer.pdf"
    target.parent.mkdir()
    write_atomically(target, render_pdf(LETTER, context(), language="kk"))
    assert KAZAKH_LETTERS in text(target.read_bytes())


def test_settings_keep_weasyprints_progress_out_of_the_logs():
    assert django_settings.LOGGING["loggers"]["weasyprint.progress"]["level"] == "WARNING"
