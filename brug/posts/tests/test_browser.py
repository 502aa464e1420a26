"""Journey: create a space, post with Markdown, an image and a mention, a colleague
comments and reacts, an outsider gets 404 on a secret space and cannot read a private one.

Debian's chromium against a real uvicorn on the test database. Screenshots go
to test-artifacts/posts-*.png. Console errors (a script or style refused by the
CSP, a failing request) fail the journey.
"""

from __future__ import annotations

import re

import pytest

from brug.posts.models import Post
from brug.posts.tests.conftest import png_bytes
from brug.spaces.actions import add_member, create_space
from brug.spaces.enums import Visibility
from tests.browser import screenshot, sign_in
from tests.fixtures import PASSWORD


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _context(browser):
    return browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )


@pytest.mark.browser
def test_post_with_markdown_image_and_mention_then_a_colleague_replies_and_outsiders_stay_out(
    live_server_url, browser, page, owner, moderator, outsider, tmp_path
):
    base = live_server_url
    secret = create_space(creator=owner, name="Reorganisatie 2027", visibility=Visibility.SECRET)
    errors = _watch(page)

    # The owner creates a private space and adds a colleague.
    sign_in(page, base, owner.email, PASSWORD)
    page.goto(f"{base}/spaces/new/")
    page.locator("input[name=name]").fill("Wondzorg Noord")
    page.locator("textarea[name=description]").fill("Lastige wonden en nieuwe verbandmiddelen.")
    page.locator("#visibility-private").check()
    with page.expect_navigation():
        page.locator("form.card button[type=submit]").click()
    space_url = page.url
    assert "/spaces/wondzorg-noord/" in space_url
    from brug.spaces.models import Space

    space = Space.objects.get(name="Wondzorg Noord")
    add_member(by=owner, space=space, person=moderator)

    # A post with Markdown, an image and a mention chosen from the autocomplete.
    page.goto(space_url)
    image = tmp_path / "wond-week-3.png"
    image.write_bytes(png_bytes(size=(640, 420), color=(190, 110, 100)))
    page.locator("#composer-title-input").fill("Nieuw schuimverband")
    body = page.locator("#composer-body")
    body.click()
    body.press_sequentially("Het **schuimverband** werkt goed. ", delay=5)
    body.press_sequentially("@mo", delay=60)
    option = page.locator('.brug-mention-menu li[data-handle="mo.derator"]')
    option.wait_for()
    screenshot(page, "posts-1-mention-autocomplete", full_page=False)
    body.press("Enter")
    assert "@mo.derator " in body.input_value()
    body.press_sequentially("wat vind jij?", delay=5)
    page.locator("#composer-files").set_input_files(str(image))
    with page.expect_navigation():
        page.locator("[data-testid=composer-submit]").click()
    card = page.locator("article.brug-post").first
    assert card.locator(".brug-prose strong").inner_text() == "schuimverband"
    assert card.locator("a.mention").inner_text() == "@mo.derator"
    thumbnail = card.locator(".brug-attachment-image img")
    thumbnail.wait_for()
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "posts-2-posted-in-private-space")
    post = Post.objects.get(space=space)

    # A colleague opens it, comments (htmx, no reload) and says thanks.
    other = _context(browser)
    try:
        colleague = other.new_page()
        colleague_errors = _watch(colleague)
        sign_in(colleague, base, moderator.email, PASSWORD)
        colleague.goto(f"{base}/posts/{post.pk}/")
        colleague.locator("#comment-body").fill("Dank! Ik probeer het bij **mevrouw Jansen**.")
        colleague.locator("#comment-form button[type=submit]").click()
        comment = colleague.locator("#comment-list .brug-comment").first
        comment.wait_for()
        assert "mevrouw Jansen" in comment.inner_text()
        assert colleague.locator("#comment-body").input_value() == ""  # a fresh form
        reactions = colleague.locator(f"#reactions-p{post.pk}")
        reactions.locator("summary").click()
        reactions.locator('.brug-react-menu button[value="thanks"]').click()
        colleague.locator(
            f'#reactions-p{post.pk} .brug-reaction.is-mine[value="thanks"]'
        ).wait_for()
        screenshot(colleague, "posts-3-colleague-commented-and-thanked")
        assert not colleague_errors, colleague_errors
    finally:
        other.close()

    page.goto(f"{base}/posts/{post.pk}/")
    assert "mevrouw Jansen" in page.locator("#comment-list").inner_text()
    assert re.search(r"\b1\b", page.locator(f"#reactions-p{post.pk}").inner_text())
    screenshot(page, "posts-4-author-sees-the-reply")
    assert not errors, errors

    # An outsider of the same organisation: the secret space does not exist for
    # them, the private one shows its door but not its posts.
    third = _context(browser)
    try:
        stranger_page = third.new_page()
        sign_in(stranger_page, base, outsider.email, PASSWORD)
        response = stranger_page.goto(f"{base}/spaces/{secret.slug}/")
        assert response.status == 404
        screenshot(stranger_page, "posts-5-outsider-secret-space-404", full_page=False)
        response = stranger_page.goto(space_url)
        assert response.status == 200
        assert "schuimverband" not in stranger_page.content()
        screenshot(stranger_page, "posts-6-outsider-private-space-closed", full_page=False)
        response = stranger_page.goto(f"{base}/posts/{post.pk}/")
        assert response.status == 404
        attachment = post.attachments.get()
        response = stranger_page.goto(f"{base}/posts/attachments/{attachment.pk}/{attachment.name}")
        assert response.status == 404
    finally:
        third.close()
