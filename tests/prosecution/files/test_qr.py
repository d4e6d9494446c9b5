"""QR codes of documents (prosecution/files/qr.py): an SVG that decodes to nothing but drawing,
embeddable in a PDF through the fetcher that refuses everything but data: and static files."""

import base64
from urllib.parse import unquote

import segno

from prosecution.files import qr

URL = "https://prokuror.example.kz/acts/0d5c0f4e-1111-4222-8333-944455556666/"


def test_the_data_uri_is_an_svg_of_the_address():
    uri = qr.svg_data_uri(URL)

    assert uri.startswith("data:image/svg+xml")
    body = uri.split(",", 1)[1]
    svg = base64.b64decode(body).decode() if ";base64" in uri.split(",", 1)[0] else unquote(body)
    assert "<svg" in svg
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_the_code_holds_the_address_at_level_m():
    code = segno.make(URL, error="m")
    assert qr.svg(URL) == code.svg_inline(scale=4, dark="#000", light="#fff")
    assert code.error == "M"
    assert code.designator.endswith("-M")
