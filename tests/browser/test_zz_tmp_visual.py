import pytest
from tests.browser import screenshot, sign_in
from tests.fixtures import PASSWORD

@pytest.mark.browser
def test_visual(live_server_url, page, member, community_manager):
    page.goto(f"{live_server_url}/login/")
    screenshot(page, "v-login")
    for n in range(5):
        page.fill("#id_username", member.email); page.fill("#id_password", f"x{n}"); page.click("#sign-in button[type=submit]")
    screenshot(page, "v-locked")
    page.goto(f"{live_server_url}/login/")
    page.fill("#id_username", community_manager.email); page.fill("#id_password", "bad"); page.click("#sign-in button[type=submit]")
    screenshot(page, "v-login-error")
    page.goto(f"{live_server_url}/password/reset/")
    screenshot(page, "v-reset")
    page.fill("#id_email", "x@example.org"); page.click("main button[type=submit]")
    screenshot(page, "v-reset-done")
    sign_in(page, live_server_url, community_manager.email, PASSWORD)
    page.goto(f"{live_server_url}/nothing-here/")
    screenshot(page, "v-404")
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server_url}/nothing-here/")
    screenshot(page, "v-404-dark")
    page.goto(f"{live_server_url}/")
    page.locator("#brug-profile-menu").click()
    screenshot(page, "v-home-dark-menu")
    page.goto(f"{live_server_url}/logout/")
    screenshot(page, "v-logout-confirm-dark")
