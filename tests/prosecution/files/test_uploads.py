"""Uploads (docs/security.md 14): allow-list by content, limits, private storage, attachment
headers.

Every file here is built in the test, small and real: a PDF, images from Pillow, office documents
from zipfile, an OLE compound file by hand.
"""

import hashlib
import io
import os
import random
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import Http404
from django.urls import path
from django.utils import translation
from PIL import Image, ImageFile

from prosecution.files import uploads
from prosecution.files.uploads import (
    attachment_response,
    check_count,
    content_disposition,
    inspect_upload,
    store,
)

# --- tiny real files ---------------------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the default language is Kazakh)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def upload(data: bytes, name: str = "file.bin", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def image_bytes(fmt: str, size=(8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    """A JPEG cut in its scan data: the header, and so Image.open, is fine."""
    noise = random.Random(1).randbytes(64 * 64 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (64, 64), noise).save(buffer, "JPEG")
    return buffer.getvalue()[: buffer.tell() * 6 // 10]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header that claims width×height pixels, without the pixels: a few dozen bytes
    that would take gigabytes to decode."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0"))
        + png_chunk(b"IEND", b"")
    )


def zip_bytes(entries: dict[str, bytes], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries.items()):
            compression = zipfile.ZIP_STORED if stored_first and index == 0 else None
            archive.writestr(name, data, compress_type=compression)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": "<w:document>Өтініш</w:document>".encode(),
        }
    )


def xlsx() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
        }
    )


def odf(mimetype: bytes) -> bytes:
    return zip_bytes(
        {
            "mimetype": mimetype,
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
        },
        stored_first=True,
    )


FREE = 0xFFFFFFFF
END_OF_CHAIN = 0xFFFFFFFE
FAT_SECTOR = 0xFFFFFFFD
DIFAT_SECTOR = 0xFFFFFFFC


def ole(*names: str, kinds: dict[str, int] | None = None, via_difat: bool = False) -> bytes:
    """A version 3 compound file ([MS-CFB]): header, one FAT sector (sector 0), one directory
    sector (sector 1) with the root entry and up to three more entries (streams unless `kinds`
    says 1, a storage). `via_difat`: the header does not list the FAT sector, a DIFAT sector
    (sector 2) does, as in files of more than 7 MB."""
    kinds = kinds or {}
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    first_difat, difat_count = (2, 1) if via_difat else (END_OF_CHAIN, 0)
    struct.pack_into(
        "<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, first_difat, difat_count
    )
    listed = FREE if via_difat else 0
    struct.pack_into("<109I", header, 0x4C, listed, *([FREE] * 108))
    fat = struct.pack("<128I", FAT_SECTOR, END_OF_CHAIN, DIFAT_SECTOR, *([FREE] * 125))
    difat = struct.pack("<128I", 0, *([FREE] * 126), END_OF_CHAIN) if via_difat else b""
    directory = bytearray(512)
    for index, (name, kind) in enumerate(
        [("Root Entry", 5), *((n, kinds.get(n, 2)) for n in names)]
    ):
        encoded = name.encode("utf-16-le") + b"\0\0"
        offset = index * 128
        directory[offset : offset + len(encoded)] = encoded
        struct.pack_into("<HB", directory, offset + 0x40, len(encoded), kind)
    return bytes(header) + fat + bytes(directory) + difat


# --- accepted, by content ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "extension", "content_type"),
    [
        (MINIMAL_PDF, "pdf", "application/pdf"),
        (image_bytes("PNG"), "png", "image/png"),
        (image_bytes("JPEG"), "jpg", "image/jpeg"),
        (image_bytes("TIFF"), "tif", "image/tiff"),
        (
            docx(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (xlsx(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            odf(b"application/vnd.oasis.opendocument.text"),
            "odt",
            "application/vnd.oasis.opendocument.text",
        ),
        (
            odf(b"application/vnd.oasis.opendocument.spreadsheet"),
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        (ole("WordDocument", "1Table"), "doc", "application/msword"),
        (ole("Workbook"), "xls", "application/vnd.ms-excel"),
        (ole("Book"), "xls", "application/vnd.ms-excel"),
        (ole("WordDocument", via_difat=True), "doc", "application/msword"),
        ("Өтініш: әғқңөұүһі\n2 < 3\n".encode(), "txt", "text/plain; charset=utf-8"),
        ("\ufeffҚұрметті прокурор!".encode(), "txt", "text/plain; charset=utf-8"),
    ],
    ids=[
        "pdf", "png", "jpeg", "tiff", "docx", "xlsx", "odt", "ods", "doc", "xls", "xls95",
        "doc-difat", "txt", "txt-bom",
    ],
)  # fmt: skip
def test_each_accepted_type_is_known_by_its_content_not_its_name(data, extension, content_type):
    # A misleading name and declared type: neither matters.
    uploaded = upload(data, name="photo.exe", content_type="application/x-msdownload")
    detected = inspect_upload(uploaded)
    assert (detected.extension, detected.content_type) == (extension, content_type)
    assert uploaded.tell() == 0, "left at its start, ready to be stored"


# --- refused -----------------------------------------------------------------------------------


def refusal(data: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload(data, **kwargs))
    return refused.value


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
        b"<!doctype html><html><script>alert(document.cookie)</script></html>",
        b"\xef\xbb\xbf  \r\n<html><body onload=alert(1)>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        zip_bytes({"readme.txt": b"hello", "payload.exe": b"MZ"}),
        zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p/>"}),
        zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/a.xml": b"", "xl/b.xml": b""}),
        odf(b"application/vnd.oasis.opendocument.presentation"),
        zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"}),  # deflated
        ole("\x05SummaryInformation", "Property"),  # an installer (.msi) is a compound file too
        ole("EncryptionInfo", "EncryptedPackage"),  # an encrypted DOCX: nothing can be checked
        "Жалоба прокурору".encode("cp1251"),  # not UTF-8
        b"text with a \x00 byte",
        b"GIF89a\x01\x00\x01\x00",
        b"\x1f\x8b\x08\x00" + b"\x00" * 20,  # gzip
    ],
    ids=[
        "exe", "elf", "html", "html-bom-whitespace", "svg-xml", "svg", "zip", "pptx",
        "word-and-excel", "odp", "odf-mimetype-compressed", "msi", "encrypted-office",
        "cp1251-text", "nul", "gif", "gzip",
    ],
)  # fmt: skip
def test_each_refused_type_is_refused_whatever_its_name(data):
    error = refusal(data, name="letter.pdf", content_type="application/pdf")
    assert error.code == "type"
    assert "This type of file is not accepted" in error.messages[0]


def test_html_renamed_to_pdf_is_refused():
    html = b"<html><body><script>fetch('/api/v1/')</script></body></html>"
    assert refusal(html, name="answer.pdf", content_type="application/pdf").code == "type"


def test_a_zip_bomb_is_refused_by_what_its_central_directory_declares():
    """The archive is a few hundred bytes and is never unpacked: its central directory says that
    one entry unpacks to 4 GB, and that is enough."""
    data = bytearray(docx())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 0xFFFFFFF0)  # uncompressed size of the first entry
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert archive.infolist()[0].file_size == 0xFFFFFFF0
    assert refusal(bytes(data)).code == "unpacked_too_large"


def test_a_zip_of_too_many_entries_is_refused():
    entries = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w/>"}
    entries |= {f"word/media/{i}.xml": b"" for i in range(uploads.ZIP_MAX_ENTRIES)}
    assert refusal(zip_bytes(entries)).code == "unpacked_too_large"


def test_the_entry_count_is_read_before_the_central_directory_is_parsed(monkeypatch):
    """A 10 MB central directory is 100,000 entries and a second of parsing: the count in the
    end record refuses it first (here the record lies; zipfile is never reached)."""
    data = bytearray(docx())
    struct.pack_into("<HH", data, data.rindex(b"PK\x05\x06") + 8, 60000, 60000)
    monkeypatch.setattr(zipfile, "ZipFile", None)
    assert refusal(bytes(data)).code == "unpacked_too_large"


@pytest.mark.parametrize(
    "data",
    [
        zip_bytes(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "word/document.xml": b"<w/>",
                "word/vbaProject.bin": b"\xd0\xcf\x11\xe0",
            }
        ),
        zip_bytes(
            {
                "mimetype": b"application/vnd.oasis.opendocument.text",
                "content.xml": b"<c/>",
                "Basic/Standard/Module1.xml": b"<script/>",
            },
            stored_first=True,
        ),
        ole("WordDocument", "Macros", kinds={"Macros": 1}),
        ole("Workbook", "_VBA_PROJECT_CUR", kinds={"_VBA_PROJECT_CUR": 1}),
    ],
    ids=["docm", "odt-basic", "doc-macros", "xls-macros"],
)
def test_documents_with_macros_are_refused(data):
    assert refusal(data).code == "macros"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\x00" * 40,
        ole("WordDocument")[:512],  # the header without its sectors
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    ],
    ids=["zip", "ole-truncated", "ole-header-only"],
)
def test_damaged_documents_are_refused(data):
    assert refusal(data).code == "damaged"


def test_a_loop_in_a_compound_files_directory_chain_ends():
    data = bytearray(ole("WordDocument"))
    struct.pack_into("<I", data, 512 + 4, 1)  # the FAT says: after sector 1 comes sector 1
    assert refusal(bytes(data)).code == "damaged"


def test_an_image_claiming_too_many_pixels_is_refused_without_decoding_it():
    data = png_claiming(20000, 20000)
    assert len(data) < 100
    error = refusal(data)
    assert error.code == "too_many_pixels"
    assert error.messages == ["The image is too large: at most 40 megapixels."]


def test_the_pixel_limit_is_ours_not_only_pillows(settings):
    """7000×7000 = 49 megapixels: below Pillow's own bomb limit (89), above ours (40)."""
    assert refusal(png_claiming(7000, 7000)).code == "too_many_pixels"
    settings.UPLOAD_MAX_PIXELS = 1000
    assert refusal(image_bytes("JPEG", size=(40, 30))).code == "too_many_pixels"


@pytest.mark.parametrize(
    "data",
    [
        png_claiming(8, 8)[:-12] + b"\x00" * 12,  # IEND with a broken checksum
        image_bytes("PNG")[:40],
        truncated_jpeg(),  # verify() alone would pass it
    ],
    ids=["png-checksum", "png-truncated", "jpeg-truncated"],
)
def test_corrupt_images_are_refused(data):
    # WeasyPrint, imported by every process that renders PDFs, sets Pillow's
    # LOAD_TRUNCATED_IMAGES for the whole process: the checks must hold with it.
    import weasyprint  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    assert refusal(data).code == "damaged_image"


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "empty"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert inspect_upload(upload(b"a" * 1024)).extension == "txt"
    with translation.override("en"):
        error = refusal(b"a" * 1025)
        assert error.code == "too_large"
        assert error.messages == ["The file is larger than 1.0\xa0KB."]


def test_the_default_limits():
    assert django_settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    assert django_settings.UPLOAD_MAX_FILES == 10
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FILES == 10
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440


def test_the_count_limit_per_record(settings):
    settings.UPLOAD_MAX_FILES = 3
    check_count(existing=0, adding=3)
    check_count(existing=2, adding=1)
    with pytest.raises(ValidationError) as refused:
        check_count(existing=2, adding=2)
    assert refused.value.code == "too_many"
    assert refused.value.messages == ["At most 3 files can be attached."]
    settings.UPLOAD_MAX_FILES = 1
    with pytest.raises(ValidationError) as refused:
        check_count(existing=1, adding=1)
    assert refused.value.messages == ["At most 1 file can be attached."]


def test_messages_are_translatable_and_shown_in_the_users_language():
    """The messages are lazy: they take the language at the time they are shown (the catalogues
    get the new messages in the next `make messages`)."""
    error = refusal(b"MZ\x00\x00")
    with translation.override("en"):
        assert str(error.messages[0]).startswith("This type of file is not accepted.")


# --- stored in private storage -----------------------------------------------------------------


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT


def test_a_file_is_stored_under_a_generated_name_with_its_hash(private_root):
    data = image_bytes("PNG")
    uploaded = upload(data, name="../../etc/cron.d/evil.php", content_type="text/html")
    stored = store(uploaded, inspect_upload(uploaded))
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (stored.content_type, stored.extension) == ("image/png", "png")
    key = Path(stored.name).stem
    assert stored.name == f"{key[:2]}/{key[2:4]}/{key}.png"
    assert len(key) == 32 and int(key, 16)
    on_disk = private_root / stored.name
    assert on_disk.read_bytes() == data
    assert stat.S_IMODE(on_disk.stat().st_mode) == 0o640
    assert "evil" not in stored.name


def test_two_uploads_never_share_a_name(private_root):
    uploaded = upload(MINIMAL_PDF)
    names = {store(uploaded, uploads.PDF).name for _ in range(20)}
    assert len(names) == 20


def test_a_large_upload_is_copied_in_chunks_not_moved(private_root, settings):
    """Django spools uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file; the storage
    would move that file without reading it, and the hash would not be taken."""
    data = b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024)
    uploaded = TemporaryUploadedFile("scan.pdf", "application/pdf", len(data), None)
    uploaded.write(data)
    uploaded.seek(0)
    stored = store(uploaded, inspect_upload(uploaded))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (private_root / stored.name).read_bytes() == data
    assert os.path.exists(uploaded.temporary_file_path())
    uploaded.close()


def test_store_stops_at_the_size_limit_even_without_inspection(private_root, settings):
    settings.UPLOAD_MAX_BYTES = 100 * 1024
    with pytest.raises(ValidationError) as refused:
        store(upload(b"a" * (200 * 1024)), uploads.TXT)
    assert refused.value.code == "too_large"
    assert [p for p in private_root.rglob("*") if p.is_file()] == []


def test_store_takes_only_a_detected_type(private_root):
    with pytest.raises(ValueError):
        store(upload(b"MZ"), uploads.DetectedType("exe", "application/x-msdownload"))


def test_private_files_live_outside_the_static_directories(settings):
    assert not any(e.id == "prosecution.E002" for e in run_checks(tags=["security"]))
    private = Path(django_settings.PRIVATE_FILES_ROOT).resolve()
    for served in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
        assert not private.is_relative_to(Path(served).resolve())
    settings.PRIVATE_FILES_ROOT = Path(django_settings.STATICFILES_DIRS[0]) / "private"
    assert [e.id for e in run_checks(tags=["security"]) if e.id == "prosecution.E002"] == [
        "prosecution.E002"
    ]


# --- served as an attachment -------------------------------------------------------------------


def download(request):
    """A test view; the real ones check access first."""
    return attachment_response(
        request.GET["name"],
        download_name=request.GET["as"],
        content_type=request.GET["type"],
    )


urlpatterns = [path("download/", download)]


@pytest.mark.urls(__name__)
def test_the_download_is_an_attachment_that_runs_and_keeps_nothing(client, private_root):
    uploaded = upload(MINIMAL_PDF)
    stored = store(uploaded, inspect_upload(uploaded))
    response = client.get(
        "/download/",
        {"name": stored.name, "as": "Жалоба №5 (копия).pdf", "type": stored.content_type},
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(MINIMAL_PDF))
    assert response["Content-Disposition"] == (
        'attachment; filename="______ _5 (_____).pdf"; '
        "filename*=UTF-8''%D0%96%D0%B0%D0%BB%D0%BE%D0%B1%D0%B0%20%E2%84%965%20"
        "%28%D0%BA%D0%BE%D0%BF%D0%B8%D1%8F%29.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    # The middleware (django-csp) leaves the stricter policy of the download alone.
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def ascii_disposition(name: str) -> str:
    return f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"


@pytest.mark.parametrize(
    ("download_name", "expected"),
    [
        ("answer.pdf", ascii_disposition("answer.pdf")),
        (
            'a"b\r\nSet-Cookie: x=1.pdf',
            'attachment; filename="abSet-Cookie: x=1.pdf"; '
            "filename*=UTF-8''abSet-Cookie%3A%20x%3D1.pdf",
        ),
        ("..\\..\\boot.ini", ascii_disposition("boot.ini.pdf")),
        ("payload.exe", ascii_disposition("payload.exe.pdf")),
        # U+202E would show "invoice\u202efdp.exe" as "invoiceexe.pdf".
        ("invoice\u202efdp.exe", ascii_disposition("invoicefdp.exe.pdf")),
        ("ANSWER.PDF", ascii_disposition("ANSWER.pdf")),
        (" \r\n ", ascii_disposition("file.pdf")),
    ],
)
def test_the_download_name_cannot_break_the_header_or_change_the_type(download_name, expected):
    header = content_disposition(download_name, extension="pdf")
    assert header == expected
    assert "\r" not in header and "\n" not in header


def test_a_long_download_name_is_cut_and_keeps_its_extension():
    header = content_disposition("Ө" * 400 + ".docx", extension="docx")
    name = header.split('filename="')[1].split('"')[0]
    assert len(name) == 150 and name.endswith(".docx")


def test_only_names_that_store_makes_are_served(private_root):
    for name in ["../../etc/passwd", "/etc/passwd", "ab/cd/not-a-uuid.pdf", "x.pdf"]:
        with pytest.raises(SuspiciousFileOperation):
            attachment_response(name, download_name="x.pdf", content_type="application/pdf")
    with pytest.raises(Http404):
        attachment_response(
            "ab/cd/abcd0000000000000000000000000000.pdf",
            download_name="x.pdf",
            content_type="application/pdf",
        )


def test_an_unknown_content_type_is_served_as_bytes(private_root):
    stored = store(upload(MINIMAL_PDF), uploads.PDF)
    response = attachment_response(stored.name, download_name="x", content_type="text/html")
    assert response["Content-Type"] == "application/octet-stream"
    response.file_to_stream.close()
