"""QR codes for documents: the address of a record, drawn as SVG in the process.

segno (pure Python, no dependency, kept up; already drawing the enrolment code of
prosecution/accounts/views.py) writes SVG, which WeasyPrint embeds as a `data:` URL: the one
kind of URL the documents' fetcher accepts besides bundled static files (docs/security.md 15), so
a document's QR code needs no network and no temporary file.
"""

import segno


def svg(url: str) -> str:
    """The QR code of `url` as an inline <svg> element, for a page."""
    markup: str = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return markup


def svg_data_uri(url: str) -> str:
    """The QR code of `url` as a `data:image/svg+xml` URL, for an <img> in a PDF. Error level M
    (15 % of the code may be lost) survives a printed and scanned page."""
    uri: str = segno.make(url, error="m").svg_data_uri(scale=4, dark="#000", light="#fff")
    return uri
