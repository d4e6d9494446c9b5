"""Reading the PDFs we render (prosecution/files/documents.py): the text layer, as a reader's
search or a screen reader finds it."""

import io

from pypdf import PdfReader


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in read(pdf).pages)


def flat(pdf: bytes) -> str:
    """The text layer with its line breaks as spaces: a long citation wraps at any word."""
    return " ".join(text(pdf).split())
