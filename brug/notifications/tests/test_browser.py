"""Browser journey: a mention lights up the other person's badge without a reload."""

from __future__ import annotations

import pytest

from brug.core import jobs
from tests.browser import screenshot, sign_in
from tests.fixtures import PASSWORD

from .conftest import make_post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_badge_changes_live_when_someone_mentions_me(page, live_server_url, space, owner, member):
    from playwright.sync_api import expect

    sign_in(page, live_server_url, member.email, PASSWORD)
    page.goto(f"{live_server_url}/notifications/")
    page.wait_for_selector('html[data-brug-stream="open"]')
    assert page.locator("#brug-unread-badge").count() == 0
    page_loads = []
    page.on("framenavigated", lambda frame: page_loads.append(frame.url))

    # Person A (the space's owner) mentions person B (the member).
    make_post(owner, space, "Sanne, kun jij dit nakijken? @sanne.dewit")
    jobs.run_pending()

    badge = page.locator("#brug-unread-badge")
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("1")
    expect(page.locator("[data-brug-notification-list] .brug-notification").first).to_contain_text(
        "Olga Owner"
    )
    expect(page.locator("[data-brug-notification-empty]")).to_be_hidden()
    assert page_loads == []  # no reload happened
    screenshot(page, "notifications-live-badge")
