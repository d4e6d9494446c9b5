"""Files that citizens and staff attach (appeals, answer letters, acts). docs/security.md 14:

- the type is decided by the content (magic bytes, then a look inside), never by the name or the
  declared content type, from a short allow-list; everything else is refused, HTML and SVG first
  (they carry scripts);
- limits on size, count, pixels, and on what a ZIP-based document says it unpacks to;
- files are stored outside every web root under generated names, and served only as attachments
  with nosniff, a sandboxing CSP and no caching, by views that have checked access first.

Usage in a form or service:
    detected = inspect_upload(uploaded)   # ValidationError with a translated message
    check_count(existing=record.attachments.count(), adding=1)
    stored = store(uploaded, detected)    # keep stored.name, .sha256, .content_type ...
"""

import codecs
import hashlib
import os
import re
import struct
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponseBase
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from PIL import Image


@dataclass(frozen=True)
class DetectedType:
    extension: str  # the stored file's extension, and the one a download gets
    content_type: str  # what the file is served as


PDF = DetectedType("pdf", "application/pdf")
PNG = DetectedType("png", "image/png")
JPEG = DetectedType("jpg", "image/jpeg")
TIFF = DetectedType("tif", "image/tiff")
DOCX = DetectedType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = DetectedType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = DetectedType("odt", "application/vnd.oasis.opendocument.text")
ODS = DetectedType("ods", "application/vnd.oasis.opendocument.spreadsheet")
DOC = DetectedType("doc", "application/msword")
XLS = DetectedType("xls", "application/vnd.ms-excel")
TXT = DetectedType("txt", "text/plain; charset=utf-8")
ACCEPTED = (PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT, ODS, DOC, XLS, TXT)

# What a ZIP-based document (DOCX, XLSX, ODT, ODS) may say it holds, read from its central
# directory without unpacking anything. A real letter or table is a few dozen entries and a few
# MB unpacked; a ZIP bomb is thousands of entries or gigabytes. The sizes are the ones the
# archive declares: whoever unpacks one later (a preview, an indexer) must stop at them too.
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_UNCOMPRESSED = 100 * 1024 * 1024

_CHUNK = 64 * 1024
_HEAD = 8
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}
# Macros run code on the reader's machine: VBA in OOXML and in legacy Office files, Basic and
# scripts in OpenDocument.
_ZIP_MACRO = re.compile(r"(^|/)vbaProject\.bin$|^(Basic|Scripts)/", re.IGNORECASE)
_OLE_MACRO_STORAGES = {"Macros", "_VBA_PROJECT_CUR", "VBA"}


def _unsupported() -> ValidationError:
    return ValidationError(
        _(
            "This type of file is not accepted. Attach a PDF, an image (PNG, JPEG, TIFF), "
            "a Word or Excel document, an OpenDocument text or spreadsheet, or plain text."
        ),
        code="type",
    )


def _damaged() -> ValidationError:
    return ValidationError(_("The file is damaged or cannot be read."), code="damaged")


def _macros() -> ValidationError:
    return ValidationError(_("Documents with macros are not accepted."), code="macros")


def _unpacked_too_large() -> ValidationError:
    return ValidationError(_("The document is too large when unpacked."), code="unpacked_too_large")


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s."),
        code="too_large",
        params={"limit": filesizeformat(limit)},
    )


def inspect_upload(uploaded_file: File) -> DetectedType:
    """The file's type, decided by its content, or ValidationError. Reads the file (at most
    UPLOAD_MAX_BYTES) and leaves it at its start."""
    if not uploaded_file.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if uploaded_file.size > settings.UPLOAD_MAX_BYTES:
        raise _too_large(settings.UPLOAD_MAX_BYTES)
    try:
        uploaded_file.seek(0)
        return _detect(uploaded_file, uploaded_file.read(_HEAD))
    finally:
        uploaded_file.seek(0)


def _detect(file: File, head: bytes) -> DetectedType:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _image(file, PNG, "PNG")
    if head.startswith(b"\xff\xd8\xff"):
        return _image(file, JPEG, "JPEG")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return _image(file, TIFF, "TIFF")
    if head.startswith(b"PK\x03\x04"):
        return _zip_document(file)
    if head.startswith(_OLE_MAGIC):
        return _ole_document(file)
    if _is_plain_text(file):
        return TXT
    # Executables (MZ, ELF), archives, HTML, SVG, scripts and everything else.
    raise _unsupported()


def _image(file: File, detected: DetectedType, pillow_format: str) -> DetectedType:
    """A real image of that format (Pillow is told which, so that it never tries another of its
    parsers on the file), within the pixel limit: a small PNG can claim 20000×20000 pixels and
    take gigabytes to decode."""
    too_many_pixels = ValidationError(
        _("The image is too large: at most %(limit)s megapixels."),
        code="too_many_pixels",
        params={"limit": settings.UPLOAD_MAX_PIXELS // 1_000_000},
    )
    try:
        file.seek(0)
        with Image.open(file, formats=[pillow_format]) as image:
            width, height = image.size
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise too_many_pixels
            image.verify()  # PNG: every chunk's checksum; the others: the structure only
        if detected is JPEG and not _jpeg_is_complete(file):
            raise ValueError("a JPEG cut short")
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds of errors for a broken file
        raise ValidationError(
            _("The image is damaged or cannot be read."), code="damaged_image"
        ) from error
    return detected


def _jpeg_is_complete(file: File) -> bool:
    """verify() checks nothing in a JPEG, and decoding one cannot tell a cut file either once
    WeasyPrint is imported: it sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process. So look
    at the structure: a JPEG ends its last scan (SOS, FF DA) with EOI (FF D9). Neither marker can
    occur inside scan data (a data byte FF is followed by 00), and searching from the end skips
    the complete thumbnail that EXIF keeps before the image."""
    file.seek(0)
    data = file.read()  # at most UPLOAD_MAX_BYTES, checked before
    return data.rfind(b"\xff\xd9") > data.rfind(b"\xff\xda") >= 0


def _zip_document(file: File) -> DetectedType:
    """OOXML (DOCX, XLSX) or OpenDocument (ODT, ODS), from the names in the central directory;
    any other ZIP is refused. Nothing is unpacked but ODF's few bytes of `mimetype`."""
    try:
        if _zip_declared_entries(file) > ZIP_MAX_ENTRIES:
            raise _unpacked_too_large()
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if (
                len(entries) > ZIP_MAX_ENTRIES
                or sum(entry.file_size for entry in entries) > ZIP_MAX_UNCOMPRESSED
            ):
                raise _unpacked_too_large()
            names = [entry.filename for entry in entries]
            if any(_ZIP_MACRO.search(name) for name in names):
                raise _macros()
            first = entries[0] if entries else None
            # OpenDocument: the first entry is `mimetype`, stored uncompressed (ODF 1.2, 3.3).
            if first and first.filename == "mimetype":
                if first.compress_type != zipfile.ZIP_STORED or first.file_size > 100:
                    raise _unsupported()
                detected = _ODF_TYPES.get(archive.read(first).strip())
                if detected is None:
                    raise _unsupported()
                return detected
            if "[Content_Types].xml" in names:
                word = any(name.startswith("word/") for name in names)
                excel = any(name.startswith("xl/") for name in names)
                if word != excel:
                    return DOCX if word else XLSX
            raise _unsupported()  # another kind of ZIP, PowerPoint included
    except ValidationError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error, NotImplementedError):
        raise _damaged() from None


def _zip_declared_entries(file: File) -> int:
    """The entry count in the end-of-central-directory record: read first, because zipfile
    parses the whole central directory, and 10 MB of it is 100,000 entries and a second of CPU.
    (65535 means "see the ZIP64 record": over the limit for a document anyway.)"""
    file.seek(0, os.SEEK_END)
    file.seek(max(0, file.tell() - (22 + 65535)))  # the record, and a comment of 64 KB at most
    tail = file.read()
    position = tail.rfind(b"PK\x05\x06")
    if position < 0 or len(tail) - position < 22:
        raise _damaged()
    return struct.unpack_from("<H", tail, position + 10)[0]


def _ole_document(file: File) -> DetectedType:
    """Legacy Word and Excel files are OLE compound files (MS-CFB), but so are installers
    (.msi), Outlook messages and PowerPoint: tell them apart by the streams in the directory.
    Word keeps its text in "WordDocument", Excel in "Workbook" ("Book" before Excel 97).
    Encrypted Office 2007+ files are compound files too (an "EncryptedPackage"): refused, as
    nothing in them can be checked."""
    names = _ole_directory_names(file)
    if names & _OLE_MACRO_STORAGES:
        raise _macros()
    if "WordDocument" in names:
        return DOC
    if names & {"Workbook", "Book"}:
        return XLS
    raise _unsupported()


_MAXREGSECT = 0xFFFFFFFA  # sector numbers from here on mean "end of chain", "free" ...
_OLE_MAX_SECTORS = 4096  # a bound on any chain followed, so that a loop in a crafted file ends


def _ole_directory_names(file: File) -> set[str]:
    """The names of the storages and streams in a compound file's directory ([MS-CFB] 2.2-2.6).
    Reads the header, the FAT sectors on the way and the directory's sectors; nothing else."""
    file.seek(0)
    header = file.read(512)
    if len(header) < 512:
        raise _damaged()
    (sector_shift,) = struct.unpack_from("<H", header, 0x1E)
    if sector_shift not in (9, 12):  # 512-byte sectors (version 3) or 4096 (version 4)
        raise _damaged()
    sector_size = 1 << sector_shift
    per_sector = sector_size // 4

    def read_sector(number: int) -> bytes:
        file.seek((number + 1) * sector_size)
        data = file.read(sector_size)
        if not data:
            raise _damaged()
        return data.ljust(sector_size, b"\0")  # some writers cut the last sector short

    # Where the FAT's sectors are: 109 in the header, the rest in a chain of DIFAT sectors.
    fat = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < _MAXREGSECT]
    difat, difat_count = struct.unpack_from("<II", header, 0x44)
    for _count in range(min(difat_count, _OLE_MAX_SECTORS)):
        if difat >= _MAXREGSECT:
            break
        entries = struct.unpack(f"<{per_sector}I", read_sector(difat))
        fat += [s for s in entries[:-1] if s < _MAXREGSECT]
        difat = entries[-1]

    def next_sector(number: int) -> int:
        index, offset = divmod(number, per_sector)
        if index >= len(fat):
            raise _damaged()
        return struct.unpack_from("<I", read_sector(fat[index]), offset * 4)[0]

    names: set[str] = set()
    (sector,) = struct.unpack_from("<I", header, 0x30)
    seen: set[int] = set()
    while sector < _MAXREGSECT:
        if sector in seen or len(seen) >= _OLE_MAX_SECTORS:
            raise _damaged()
        seen.add(sector)
        data = read_sector(sector)
        for offset in range(0, sector_size, 128):  # 128-byte directory entries
            length, kind = struct.unpack_from("<HB", data, offset + 0x40)
            if kind in (1, 2) and 2 <= length <= 64 and length % 2 == 0:  # storage, stream
                names.add(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
        sector = next_sector(sector)
    return names


def _is_plain_text(file: File) -> bool:
    """UTF-8 without NUL bytes, and not markup: text whose first character (after a byte order
    mark and white space) is "<" is HTML, SVG or XML to a browser that sniffs."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first = ""
    file.seek(0)
    try:
        for chunk in iter(lambda: file.read(_CHUNK), b""):
            if b"\x00" in chunk:
                return False
            text = decoder.decode(chunk)
            if not first:
                first = text.lstrip("\ufeff \t\r\n\f")[:1]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return first != "<"


def check_count(existing: int, adding: int) -> None:
    """ValidationError if a record holding `existing` files may not take `adding` more."""
    limit = settings.UPLOAD_MAX_FILES
    if existing + adding > limit:
        raise ValidationError(
            ngettext_lazy(
                "At most %(limit)s file can be attached.",
                "At most %(limit)s files can be attached.",
                "limit",
            ),
            code="too_many",
            params={"limit": limit},
        )


def inspect_all(
    files: "Sequence[File[Any]]", *, existing: int = 0
) -> "list[tuple[File[Any], DetectedType]]":
    """Inspect every file before any is stored, so that one bad file loses nothing and stores
    nothing: (file, detected type) pairs, or ValidationError with the count's message or one
    message per refused file that names it."""
    check_count(existing, len(files))
    checked, refused = [], []
    for file in files:
        try:
            checked.append((file, inspect_upload(file)))
        except ValidationError as error:
            refused.append(
                _("%(file)s: %(problem)s")
                % {"file": file.name, "problem": " ".join(error.messages)}
            )
    if refused:
        raise ValidationError(refused)
    return checked


@dataclass(frozen=True)
class StoredFile:
    name: str  # in private_storage(): "ab/cd/<uuid>.pdf"
    size: int
    sha256: str
    content_type: str
    extension: str


def private_storage() -> FileSystemStorage:
    """Where uploads live: PRIVATE_FILES_ROOT, outside the static and media roots, so that no web
    server serves them; only attachment_response does, after the view has checked access.
    Also usable as a FileField's storage (a callable)."""
    return FileSystemStorage(
        location=settings.PRIVATE_FILES_ROOT,
        file_permissions_mode=0o640,
        directory_permissions_mode=0o750,
    )


class _Streamed(File):
    """Hands the storage our chunks, so that the file is written in the same pass that hashes
    and counts it (and without a temporary_file_path: the storage would move the file instead)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__(None)
        self._chunks = chunks

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self._chunks


def store(uploaded_file: File, detected: DetectedType) -> StoredFile:
    """Save an inspected upload in private storage under a generated name: `<uuid4>.<ext>` with
    the extension of the detected type, in two levels of directories from the uuid's first hex
    digits (no directory grows past a few thousand files). The user's file name is kept
    nowhere here; the caller stores it for the download."""
    if detected not in ACCEPTED:
        raise ValueError(f"Not a type inspect_upload detects: {detected!r}")
    digest = hashlib.sha256()
    size = 0

    def chunks() -> Iterator[bytes]:
        nonlocal size
        for chunk in uploaded_file.chunks(_CHUNK):
            size += len(chunk)
            # inspect_upload checked the size already; a caller that skipped it stops here.
            if size > settings.UPLOAD_MAX_BYTES:
                raise _too_large(settings.UPLOAD_MAX_BYTES)
            digest.update(chunk)
            yield chunk

    key = uuid.uuid4().hex
    name = f"{key[:2]}/{key[2:4]}/{key}.{detected.extension}"
    storage = private_storage()
    try:
        name = storage.save(name, _Streamed(chunks()))
    except BaseException:
        storage.delete(name)  # what was written before the error
        raise
    return StoredFile(
        name=name,
        size=size,
        sha256=digest.hexdigest(),
        content_type=detected.content_type,
        extension=detected.extension,
    )


_STORED_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}\.[a-z]{3,4}")
_CONTENT_TYPES = {detected.content_type for detected in ACCEPTED}


def read_stored(stored_name: str) -> bytes:
    """The bytes of a stored file (e.g. a letter attached to an e-mail). Only names that store()
    and the document builders make; never a path from a request."""
    if not _STORED_NAME.fullmatch(stored_name):
        raise SuspiciousFileOperation("Not the name of a stored file.")
    with private_storage().open(stored_name, "rb") as file:
        return file.read()


def attachment_response(stored_name: str, *, download_name: str, content_type: str) -> FileResponse:
    """Serve a stored file as a download. The caller has checked access (docs/security.md 1: 404 for
    no access). The browser is told to save the file, not to show it: it may not guess another
    type (nosniff), and if it shows the file anyway, the file may run nothing and load nothing
    (CSP sandbox); no cache keeps a copy. A missing file is a 404."""
    if not _STORED_NAME.fullmatch(stored_name):
        # Only names that store() makes: never a path from a request.
        raise SuspiciousFileOperation("Not the name of a stored file.")
    try:
        file = private_storage().open(stored_name, "rb")
    except FileNotFoundError:
        raise Http404(_("No such file.")) from None
    if content_type not in _CONTENT_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    extension = stored_name.rsplit(".", 1)[1]
    return as_attachment(response, download_name=download_name, extension=extension)


_R = TypeVar("_R", bound=HttpResponseBase)


def as_attachment(response: _R, *, download_name: str, extension: str) -> _R:
    """The headers of a download (attachment_response's), for a file made in the request (a
    draft's PDF, acts/document_views.py) as for a stored one."""
    response["Content-Disposition"] = content_disposition(download_name, extension=extension)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


_NAME_MAX = 150


def _safe_in_name(character: str) -> bool:
    return unicodedata.category(character)[0] != "C" and character not in '"\\/'


def content_disposition(download_name: str, *, extension: str) -> str:
    """`attachment` with the file name twice (RFC 6266): `filename*` in UTF-8 (RFC 5987) for
    Cyrillic names, and an ASCII `filename` for the rare client that ignores it. The name loses
    control and format characters (CR and LF would split the header; the right-to-left override
    U+202E makes "photo<U+202E>gpj.exe" look like "photoexe.jpg"), quotes, backslashes and
    slashes, and always ends with the extension of the detected type, so that a file refused as
    .exe cannot come back as one."""
    name = "".join(filter(_safe_in_name, unicodedata.normalize("NFC", download_name)))
    name = name.strip(" .")
    suffix = f".{extension}"
    if name.lower().endswith(suffix):
        name = name[: -len(suffix)]
    name = (name[: _NAME_MAX - len(suffix)].strip(" .") or "file") + suffix
    fallback = "".join(c if " " <= c <= "~" else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
