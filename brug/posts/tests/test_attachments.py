"""Uploads: recognised by content, images re-encoded without EXIF, served only through checks."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from brug.core.exceptions import PayloadTooLarge
from brug.posts import actions
from brug.posts.models import Attachment
from brug.posts.tests.conftest import Upload, make_post, png_bytes

pytestmark = pytest.mark.django_db


def _exif_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Spionagecamera BV"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0)}  # GPS
    return png_bytes(size=(120, 80), exif=exif.tobytes(), fmt="JPEG")


def _office(marker: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(marker, "<x/>")
    return out.getvalue()


def test_images_are_re_encoded_without_exif_or_gps_and_get_a_thumbnail(member, uploads_dir):
    data = _exif_jpeg()
    assert b"Spionagecamera" in data
    attachment = actions.add_attachment(uploader=member, upload=Upload(data, "IMG_0001.JPG"))
    stored = attachment.file.read()
    assert b"Spionagecamera" not in stored
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()
    assert (attachment.width, attachment.height) == (120, 80)
    assert attachment.content_type == "image/jpeg"
    assert attachment.name == "IMG_0001.jpg"
    assert attachment.thumbnail
    assert Image.open(attachment.thumbnail).size[0] <= 480


def test_a_file_is_recognised_by_its_content_not_its_name(member, uploads_dir):
    pdf = actions.add_attachment(uploader=member, upload=Upload(b"%PDF-1.7\n...", "rooster.exe"))
    assert (pdf.content_type, pdf.name) == ("application/pdf", "rooster.pdf")
    docx = actions.add_attachment(
        uploader=member, upload=Upload(_office("word/document.xml"), "x.docx")
    )
    assert docx.content_type.endswith("wordprocessingml.document")
    xlsx = actions.add_attachment(
        uploader=member, upload=Upload(_office("xl/workbook.xml"), "x.bin")
    )
    assert xlsx.name == "x.xlsx"
    text = actions.add_attachment(
        uploader=member, upload=Upload(b"Dienst;Naam\nvroeg;Sanne\n", "rooster.csv")
    )
    assert text.content_type == "text/csv; charset=utf-8"
    html = actions.add_attachment(
        uploader=member, upload=Upload(b"<script>alert(1)</script>", "x.html")
    )
    assert html.content_type == "text/plain; charset=utf-8"  # served as text, as a download


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)), "setup.exe"),
        (b"\x7fELF\x02\x01\x01" + bytes(200), "tool"),
        (
            _office("something/else.xml").replace(b"[Content_Types]", b"[Other_Types__]"),
            "archief.zip",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"not really a png", "kapot.png"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "macro.exe"),
    ],
)
def test_other_files_are_refused_with_a_clear_message(member, uploads_dir, data, name):
    with pytest.raises(ValidationError):
        actions.add_attachment(uploader=member, upload=Upload(data, name))
    assert not Attachment.objects.exists()


def test_files_over_the_limit_are_refused_as_too_large(member, uploads_dir, settings):
    settings.BRUG_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(PayloadTooLarge):
        actions.add_attachment(uploader=member, upload=Upload(b"%PDF-" + bytes(2000), "groot.pdf"))


def test_a_file_name_cannot_carry_a_path_or_control_characters(member, uploads_dir):
    attachment = actions.add_attachment(
        uploader=member, upload=Upload(b"%PDF-1.4", "../../etc/pass\x00wd\r\n.pdf")
    )
    assert (
        "/" not in attachment.name and "\x00" not in attachment.name and "\n" not in attachment.name
    )
    assert attachment.name.endswith(".pdf")
    assert ".." not in attachment.file.name


def test_only_the_uploader_may_attach_an_upload_and_only_once(
    member, moderator, space, uploads_dir
):
    upload = actions.add_attachment(uploader=member, upload=Upload(png_bytes(), "a.png"))
    with pytest.raises(ValidationError):
        make_post(moderator, space, "Van een ander", attachments=[upload])
    post = make_post(member, space, "Met foto", attachments=[upload])
    with pytest.raises(ValidationError):
        make_post(member, space, "Nog een keer", attachments=[upload])
    upload.refresh_from_db()
    assert upload.post_id == post.pk


def test_downloads_are_served_with_nosniff_and_as_attachments_unless_images(
    client_of, member, space, uploads_dir
):
    pdf = actions.add_attachment(uploader=member, upload=Upload(b"%PDF-1.4 x", "notulen.pdf"))
    image = actions.add_attachment(uploader=member, upload=Upload(png_bytes(), "foto.png"))
    make_post(member, space, "Bijlagen", attachments=[pdf, image])
    client = client_of(member)
    response = client.get(f"/posts/attachments/{pdf.pk}/{pdf.name}")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    response = client.get(f"/posts/attachments/{image.pk}/{image.name}")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/jpeg"
    thumb = client.get(f"/posts/attachments/{image.pk}/thumb/{image.name}")
    assert thumb.status_code == 200 and thumb["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/posts/attachments/{pdf.pk}/thumb/{pdf.name}").status_code == 404


def test_an_unattached_upload_is_only_visible_to_its_uploader(
    client_of, member, moderator, uploads_dir
):
    upload = actions.add_attachment(uploader=member, upload=Upload(png_bytes(), "a.png"))
    assert client_of(member).get(f"/posts/attachments/{upload.pk}/a.png").status_code == 200
    assert client_of(moderator).get(f"/posts/attachments/{upload.pk}/a.png").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, member, space, uploads_dir):
    upload = actions.add_attachment(uploader=member, upload=Upload(png_bytes(), "a.png"))
    make_post(member, space, "x", attachments=[upload])
    response = client.get(f"/posts/attachments/{upload.pk}/a.png")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_uploads_never_attached_are_pruned(member, uploads_dir):
    from datetime import timedelta

    from django.utils import timezone

    upload = actions.add_attachment(uploader=member, upload=Upload(png_bytes(), "a.png"))
    name = upload.file.name
    assert actions.prune_unattached_attachments(older_than=timezone.now() - timedelta(days=1)) == 0
    assert (
        actions.prune_unattached_attachments(older_than=timezone.now() + timedelta(seconds=1)) == 1
    )
    from django.core.files.storage import default_storage

    assert not default_storage.exists(name)


def test_the_composer_uploads_images_with_the_post(client_of, member, space, uploads_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_of(member).post(
        "/posts/new",
        {
            "space": space.pk,
            "body": "Zie de foto",
            "kind": "update",
            "files": [SimpleUploadedFile("wond.png", png_bytes(), content_type="image/png")],
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.post.body == "Zie de foto"


def test_a_refused_file_leaves_no_post_and_no_upload(client_of, member, space, uploads_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_of(member).post(
        "/posts/new",
        {
            "space": space.pk,
            "body": "Met virus",
            "files": [
                SimpleUploadedFile("ok.png", png_bytes(), content_type="image/png"),
                SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + bytes(300)),
            ],
        },
    )
    assert response.status_code == 422
    assert b"Brug accepts images" in response.content
    assert not Attachment.objects.exists()
    from brug.posts.models import Post

    assert not Post.objects.exists()


def test_the_periodic_job_prunes_only_old_unattached_uploads(member, space, uploads_dir):
    from datetime import timedelta

    from django.utils import timezone

    from brug.core import jobs
    from brug.posts.tasks import prune_unattached_uploads

    old = actions.add_attachment(uploader=member, upload=Upload(png_bytes(), "oud.png"))
    kept = actions.add_attachment(uploader=member, upload=Upload(png_bytes(), "nieuw.png"))
    used = actions.add_attachment(uploader=member, upload=Upload(png_bytes(), "gebruikt.png"))
    make_post(member, space, "x", attachments=[used])
    two_days_ago = timezone.now() - timedelta(days=2)
    Attachment.objects.filter(pk__in=[old.pk, used.pk]).update(created_at=two_days_ago)
    assert "brug.posts.tasks.prune_unattached_uploads" in {
        job.task.module_path for job in jobs.periodic_jobs().values()
    }
    assert prune_unattached_uploads.call() == 1
    assert set(Attachment.objects.values_list("pk", flat=True)) == {kept.pk, used.pk}


def test_a_large_download_streams_in_blocks_under_asgi_without_reading_it_whole(
    client_of, member, space, uploads_dir, settings
):
    """Under uvicorn the response is read asynchronously, block by block in a thread."""
    import asyncio
    import warnings
    from concurrent.futures import ThreadPoolExecutor

    from django.test import RequestFactory

    from brug.core.serving import BLOCK_SIZE
    from brug.permissions import Viewer
    from brug.posts import views

    settings.BRUG_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    text = b"".join(b"regel %06d van het verslag\n" % n for n in range(40_000))  # ~1.1 MB
    report = actions.add_attachment(uploader=member, upload=Upload(text, "verslag.txt"))
    make_post(member, space, "Verslag", attachments=[report])
    # The view itself, as the ASGI handler gets its answer (the test client would
    # wrap the stream in a plain iterator of its own).
    request = RequestFactory().get(f"/posts/attachments/{report.pk}/{report.name}")
    request.user = member
    request.viewer = Viewer(member)
    response = views.attachment(request, attachment_id=report.pk, name=report.name)
    assert response["Content-Length"] == str(len(text))
    through_client = client_of(member).get(f"/posts/attachments/{report.pk}/{report.name}")
    assert through_client.status_code == 200
    through_client.close()

    async def read_as_asgi_does():
        return [part async for part in response]

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django warns when it reads a file whole
        try:
            # In a thread of its own: a run that also drives the browser leaves a
            # running event loop in this one (Playwright's sync API).
            with ThreadPoolExecutor(max_workers=1) as thread:
                parts = thread.submit(asyncio.run, read_as_asgi_does()).result()
        finally:
            response.close()  # as the ASGI handler does once the body is sent
    assert b"".join(parts) == text
    assert len(parts) == -(-len(text) // BLOCK_SIZE)
    assert max(len(part) for part in parts) == BLOCK_SIZE
