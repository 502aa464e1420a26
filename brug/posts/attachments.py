"""Recognise uploaded files by their content (never by name or declared type).

Images go through ``brug.core.images`` (re-encoded, EXIF and GPS dropped,
pixel limit). Other files are accepted only when their first bytes say they
are a PDF, an Office Open XML or OpenDocument file, a legacy Office file, or
plain UTF-8 text; everything else (executables, archives, HTML pretending to
be a PDF…) is refused with a message a person understands. Whatever is
accepted is served later with ``nosniff`` and, for non-images, as a download.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from brug.core import images

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
GIFS = (b"GIF87a", b"GIF89a")
PDF = b"%PDF-"
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

OOXML = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
LEGACY_OFFICE = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
TEXT_TYPES = {"csv": "text/csv", "md": "text/markdown"}


@dataclass(frozen=True)
class DetectedFile:
    content: bytes
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None
    thumbnail_extension: str = ""


def is_image_bytes(head: bytes) -> bool:
    return (
        head.startswith(PNG)
        or head.startswith(JPEG)
        or head.startswith(GIFS)
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def _refuse() -> ValidationError:
    return ValidationError(
        _(
            "Brug accepts images (JPEG, PNG, GIF, WebP), PDF, Word, Excel, PowerPoint, "
            "OpenDocument and plain text files."
        ),
        code="file_type",
    )


def _office_zip(data: bytes) -> tuple[str, str] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            if info.file_size <= 100:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF:
                    return mimetype, ODF[mimetype]
        if "[Content_Types].xml" in names:
            for marker, found in OOXML.items():
                if marker in names:
                    return found
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        return None
    return None


def _plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Control characters other than tab, newline, carriage return and form feed
    # mean a binary file that happens to decode.
    return not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text[:65536])


def detect(data: bytes, name: str) -> DetectedFile:
    """Return what the bytes are (re-encoded when an image); ``ValidationError`` if refused."""
    head = data[:16]
    if is_image_bytes(head):
        processed = images.process_image(io.BytesIO(data))
        thumb = images.thumbnail(processed.content)
        return DetectedFile(
            processed.content,
            processed.content_type,
            processed.extension,
            processed.width,
            processed.height,
            thumb.content,
            thumb.extension,
        )
    if head.startswith(PDF):
        return DetectedFile(data, "application/pdf", "pdf")
    if head.startswith(ZIP):
        found = _office_zip(data)
        if found is None:
            raise _refuse()
        return DetectedFile(data, found[0], found[1])
    if head.startswith(OLE):
        extension = _extension(name)
        if extension not in LEGACY_OFFICE:
            raise _refuse()
        return DetectedFile(data, LEGACY_OFFICE[extension], extension)
    if data and _plain_text(data):
        extension = _extension(name)
        if extension in TEXT_TYPES:
            return DetectedFile(data, f"{TEXT_TYPES[extension]}; charset=utf-8", extension)
        return DetectedFile(data, "text/plain; charset=utf-8", "txt")
    raise _refuse()


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def clean_name(name: str, extension: str) -> str:
    """Return a display name without paths or control characters, ending in ``extension``."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    stem = os.path.splitext(name)[0] if _extension(name) else name
    stem = _UNSAFE_NAME.sub("_", stem).strip(" ._") or _("file")
    return f"{stem[:150]}.{extension}"
