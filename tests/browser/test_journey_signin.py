"""Journey: sign in, switch the language, sign out (Debian's chromium, real uvicorn).

Also the shell on a phone and in dark mode. Screenshots go to test-artifacts/.
Console errors fail the journey: a script or style blocked by the CSP shows
up there.
"""

import pytest

from tests.browser import screenshot, sign_in
from tests.fixtures import PASSWORD


def _collect_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _html(page, attribute: str) -> str:
    return page.locator("html").get_attribute(attribute) or ""


@pytest.mark.browser
def test_sign_in_switch_to_english_and_sign_out(start_uvicorn, page, member):
    # Dutch is the installation default (BRUG_LANGUAGE); the test servers
    # default to English, so ask for Dutch here.
    live_server_url = start_uvicorn(env={"BRUG_LANGUAGE": "nl"}).url
    errors = _collect_errors(page)

    page.goto(f"{live_server_url}/login/")
    assert _html(page, "lang") == "nl"
    assert page.locator("label[for=id_password]").inner_text() == "Wachtwoord"
    screenshot(page, "signin-login-nl")

    sign_in(page, live_server_url, member.email, PASSWORD)
    assert _html(page, "lang") == "nl"
    assert page.locator("label[for=brug-search-q]").inner_text() == "Zoeken"
    screenshot(page, "signin-home-nl")

    page.locator("#brug-profile-menu").click()
    with page.expect_navigation():
        page.locator("[data-testid=language-en]").click()
    assert _html(page, "lang") == "en"
    assert page.locator("label[for=brug-search-q]").inner_text() == "Search"
    page.locator("#brug-profile-menu").click()
    assert page.locator("[data-testid=language-en]").get_attribute("aria-pressed") == "true"
    screenshot(page, "signin-home-en-menu")

    with page.expect_navigation():
        page.locator("[data-testid=sign-out]").click()
    assert "/login/" in page.url
    assert _html(page, "lang") == "en"
    assert page.locator("label[for=id_password]").inner_text() == "Password"
    assert page.locator(".brug-messages .alert-success").is_visible()
    screenshot(page, "signin-signed-out-en")

    member.refresh_from_db()
    assert member.language == "en"
    assert errors == []


@pytest.mark.browser
def test_the_shell_on_a_phone_follows_dark_mode_and_remembers_the_toggle(
    live_server_url, page, member
):
    errors = _collect_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")

    page.goto(f"{live_server_url}/login/")
    assert _html(page, "data-bs-theme") == "dark"
    screenshot(page, "shell-phone-login-dark")

    sign_in(page, live_server_url, member.email, PASSWORD)
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("#brug-nav").is_visible()
    toggler.click()
    page.locator("#brug-nav.show").wait_for()
    screenshot(page, "shell-phone-menu-dark")

    page.locator("#brug-profile-menu").click()
    page.locator(".brug-menu [data-brug-theme-toggle]").click()
    assert _html(page, "data-bs-theme") == "light"
    page.reload()
    assert _html(page, "data-bs-theme") == "light"  # the choice outlives the page
    screenshot(page, "shell-phone-home-light")
    assert errors == []


@pytest.mark.browser
def test_keyboard_users_can_skip_to_the_content(live_server_url, page, member):
    sign_in(page, live_server_url, member.email, PASSWORD)

    page.keyboard.press("Tab")
    skip = page.locator("a.brug-skip")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
