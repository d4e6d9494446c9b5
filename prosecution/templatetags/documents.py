"""Template tags for documents rendered to PDF (prosecution/files/documents.py)."""

from django import template

from prosecution.files import qr
from prosecution.files.documents import static_file_url

register = template.Library()


@register.simple_tag
def pdf_static(path: str) -> str:
    """The `file://` URL of a bundled static file: the only kind of file a PDF may read
    (docs/security.md 15). Web pages keep using `{% static %}`."""
    return static_file_url(path)


@register.filter
def qr_data_uri(url: str) -> str:
    """The QR code of `url` as a `data:` URL, which the documents' fetcher accepts."""
    return qr.svg_data_uri(url) if url else ""
