"""Validate and re-encode uploaded images.

Images are recognised by their content (never by name or declared type),
refused above a pixel limit before decoding (no decompression bombs), and
re-encoded by Pillow, which drops EXIF, GPS and any trailing payload.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _read(upload) -> bytes:
    limit = settings.BRUG_MAX_UPLOAD_BYTES
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20})
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20})
    return data


def open_image(data: bytes) -> Image.Image:
    """Open image bytes, refusing anything that is not an allowed, sane image."""
    max_pixels = settings.BRUG_MAX_IMAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(_("This is not a JPEG, PNG, GIF or WebP image."))
        width, height = image.size
        if width * height > max_pixels or width <= 0 or height <= 0:
            raise ValidationError(_("The image has too many pixels."))
        image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # Pillow's own guard fires in Image.open for headers far above its
        # limit: the same clear message as our pixel check.
        raise ValidationError(_("The image has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("This file is not an image Brug can read.")) from None
    return image


def process_image(upload, *, max_side: int = 2048, square: bool = False) -> ProcessedImage:
    """Return the upload re-encoded (EXIF dropped, orientation applied, scaled down).

    With ``square=True`` the image is cropped to a centred square (profile photos).
    Raises ``ValidationError`` with a message a person understands.
    """
    data = _read(upload)
    image = open_image(data)
    image = ImageOps.exif_transpose(image)
    if square:
        side = min(image.size)
        image = ImageOps.fit(image, (min(side, max_side), min(side, max_side)))
    else:
        image.thumbnail((max_side, max_side))
    has_alpha = image.mode in {"RGBA", "LA", "P"}
    out = io.BytesIO()
    if has_alpha:
        image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        content_type, extension = "image/png", "png"
    else:
        image = image.convert("RGB")
        image.save(out, format="JPEG", quality=85, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    return ProcessedImage(out.getvalue(), content_type, extension, image.width, image.height)


def thumbnail(data: bytes, *, max_side: int = 480) -> ProcessedImage:
    """Return a small re-encoded copy of already validated image bytes."""
    return process_image(io.BytesIO(data), max_side=max_side)
