"""Journey: a community manager invites a colleague by e-mail; the mail's link makes the account.

Debian's chromium against a real uvicorn whose mail goes to files (the
server is another process: ``BRUG_EMAIL_URL=file://...``). The newcomer
lands in the team space of the team they were invited into.
"""

import re

import pytest

from brug.spaces.actions import create_team_space
from tests.browser import screenshot, sign_in
from tests.factories import TeamFactory
from tests.fixtures import PASSWORD

NEW_PASSWORD = "een lang en veilig wachtwoord"
LINK = re.compile(r"^(http://\S+/invite/[\w-]+/)$", re.M)


def _mails(folder) -> list[str]:
    return [path.read_text() for path in sorted(folder.glob("*.log"))]


@pytest.mark.browser
def test_invite_by_email_follow_the_mailed_link_and_land_in_the_team_space(
    start_uvicorn, browser, page, community_manager, organisation, tmp_path
):
    folder = tmp_path / "mail"
    folder.mkdir()
    team = TeamFactory(organisation=organisation, name="Wijkteam Oost")
    team_space = create_team_space(by=community_manager, team=team)
    server = start_uvicorn(env={"BRUG_LANGUAGE": "nl", "BRUG_EMAIL_URL": f"file://{folder}"})

    # 1. The community manager invites by address, with a note, in Dutch.
    sign_in(page, server.url, community_manager.email, PASSWORD)
    page.goto(f"{server.url}/people/invitations/")
    page.locator("input[name=email]").fill("nina@example.org")
    page.locator("select[name=team]").select_option(str(team.pk))
    page.locator("textarea[name=message]").fill(
        "Welkom in het team! Kijk ook eens bij Durf te vragen."
    )
    with page.expect_navigation():
        page.locator("main form button.btn-primary[type=submit]").click()
    assert "nina@example.org" in page.locator(".alert-success").first.inner_text()
    screenshot(page, "invitation-1-sent")

    # 2. One mail, in Dutch, with the note and the link; Reply-To is the inviter.
    (mail,) = _mails(folder)
    assert "Subject: Cora Manager nodigt je uit voor Brug" in mail
    assert f"Reply-To: {community_manager.email}" in mail
    assert "Welkom in het team!" in mail
    link = LINK.search(mail.replace("=\n", "")).group(1)

    # 3. The newcomer opens the link in their own browser and makes an account.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    newcomer = context.new_page()
    try:
        newcomer.goto(link)
        newcomer.locator("input[name=name]").fill("Nina Nieuwenhuis")
        # The invitation is for this address: it is filled in and cannot be changed.
        assert newcomer.locator("input[name=email]").input_value() == "nina@example.org"
        assert newcomer.locator("input[name=email]").get_attribute("readonly") is not None
        newcomer.locator("input[name=password]").fill(NEW_PASSWORD)
        newcomer.locator("input[name=password_again]").fill(NEW_PASSWORD)
        with newcomer.expect_navigation():
            newcomer.locator("main form button[type=submit]").click()
        assert newcomer.url.endswith("/welcome/")

        # 4. They are in their team's space already.
        newcomer.goto(f"{server.url}/spaces/{team_space.slug}/")
        assert team_space.name in newcomer.locator("h1").inner_text()
        assert newcomer.locator("#composer-body").count() == 1  # a member may post here
        screenshot(newcomer, "invitation-2-team-space")
    finally:
        context.close()

    # 5. The link worked once.
    page.goto(link)
    assert "/invite/" in page.url
    assert page.locator("input[name=password]").count() == 0
