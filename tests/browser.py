"""Browser fixtures: Playwright's sync API driving Debian's chromium.

Playwright never downloads a browser of its own: the browser is the system's ``/usr/bin/chromium``
(or ``BRUG_CHROMIUM``). Journeys are marked ``@pytest.mark.browser``, use
``transactional_db`` (through ``live_server_url``) and run serially.

    @pytest.mark.browser
    def test_something(page, live_server_url, member):
        sign_in(page, live_server_url, member.email, PASSWORD)
        ...
        screenshot(page, "something")
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

__all__ = ["browser", "chromium_path", "page", "screenshot", "sign_in"]


def chromium_path() -> str | None:
    """Return Debian's chromium (or ``BRUG_CHROMIUM``) when it is installed."""
    for candidate in (os.environ.get("BRUG_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session."""
    executable = chromium_path()
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, so Django's ORM
    # (used by the test to build data) would refuse to run. Only here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = _serialized_contents()
    playwright = sync_playwright().start()
    _restore_serialized_contents(serialized)
    chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _serialized_contents() -> dict:
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _restore_serialized_contents(serialized: dict) -> None:
    """Hand the migrated state to the connections the tests will now use.

    With Playwright's loop running, Django's connection handler (an asgiref
    Local) gives this thread new connection objects, which lack the snapshot
    pytest-django took for ``django_db_serialized_rollback``; without it the
    default organisation would be gone after the first journey's flush.
    """
    from django.db import connections

    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) and page for each test."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        context.close()


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the sign-in page and wait until it has been left."""
    page.goto(f"{base_url}/login/")
    page.locator("#sign-in input[name=username]").fill(email)
    page.locator("#sign-in input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("#sign-in button[type=submit]").click()
    if "/login/" in page.url:
        error = page.locator("#sign-in-error")
        reason = error.inner_text() if error.count() else page.title()
        raise AssertionError(f"signing in as {email} failed: {reason}")


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save ``test-artifacts/<name>.png`` and return its path."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "screenshot"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
