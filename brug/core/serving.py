"""Serving stored files (attachments, photos, covers) from permission-checked views.

Files are never served from a public folder: a view checks who may see the
file, then answers with ``file_response``. It streams in blocks under both
servers: synchronously under WSGI (the test client), and under ASGI
(uvicorn, what ``brug run`` serves with) by reading each block in a thread,
so a large download neither blocks the event loop nor is read into memory
whole (Django's ``FileResponse`` does the latter under ASGI, with a warning).
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import FileResponse, Http404

#: Read this much per block (Django's default of 4 KiB costs a thread hop per 4 KiB).
BLOCK_SIZE = 64 * 1024


class StoredFileResponse(FileResponse):
    """A ``FileResponse`` that also streams asynchronously, block by block."""

    block_size = BLOCK_SIZE

    async def __aiter__(self):
        handle = self.file_to_stream
        if handle is None:
            async for part in super().__aiter__():
                yield part
            return
        read = sync_to_async(handle.read, thread_sensitive=False)
        while chunk := await read(self.block_size):
            yield chunk


def file_response(
    field,
    *,
    content_type: str,
    filename: str = "",
    as_attachment: bool = True,
    sandbox_images: bool = False,
    cache: bool = True,
) -> StoredFileResponse:
    """Answer with a stored file (a ``FieldFile`` or a name in default storage).

    A file that is gone is a 404. Every answer carries ``nosniff`` and a CSP
    that lets nothing in the file run (``sandbox_images``: images may still
    be shown when a browser opens the file on its own); ``cache``: privately
    cacheable for an hour (the URLs carry a version or never change).
    """
    try:
        handle = field.open("rb") if hasattr(field, "open") else None
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    if handle is None:
        from django.core.files.storage import default_storage

        try:
            handle = default_storage.open(field, "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
    response = StoredFileResponse(
        handle, content_type=content_type, as_attachment=as_attachment, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    images = " img-src 'self';" if sandbox_images else ""
    response["Content-Security-Policy"] = f"default-src 'none';{images} sandbox"
    if cache:
        response["Cache-Control"] = "private, max-age=3600"
    return response
