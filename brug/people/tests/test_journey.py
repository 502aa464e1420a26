"""Journey: accept an invitation, complete the profile (photo included), find a colleague.

Debian's chromium against a real uvicorn. Screenshots go to test-artifacts/
(people-*.png). Console errors fail the journey: a script or style the CSP
blocks shows up there.
"""

import io
import re

import pytest
from PIL import Image

from brug.people import actions
from brug.people.models import User
from tests.browser import screenshot
from tests.factories import TeamFactory, UserFactory

PASSWORD = "een lang en veilig wachtwoord"


def _portrait(path):
    """A PNG made here: a face-like drawing, larger than the stored photo."""
    from PIL import ImageDraw

    image = Image.new("RGB", (640, 480), (214, 232, 238))
    draw = ImageDraw.Draw(image)
    draw.ellipse((220, 90, 420, 300), fill=(226, 180, 150))
    draw.ellipse((150, 300, 490, 620), fill=(40, 90, 120))
    image.save(path, format="PNG")
    return path


@pytest.mark.browser
def test_accept_an_invitation_complete_the_profile_and_find_a_colleague_by_expertise(
    live_server_url, page, community_manager, organisation, tmp_path
):
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    wijkteam = TeamFactory(organisation=organisation, name="Wijkteam Oost")
    colleague = UserFactory(name="Joost Kuipers", handle="joost.kuipers", team=wijkteam)
    actions.update_profile(
        person=colleague,
        by=colleague,
        function="Wondconsulent",
        location="Zeist",
        expertise=["Wondzorg", "Decubitus", "Diabetische voet"],
    )
    UserFactory(name="Mark Jansen", function="Data analyst")
    invitation = actions.create_invitation(
        by=community_manager, organisation=organisation, team=wijkteam
    )

    # 1. The invitation link: an account in one step.
    page.goto(f"{live_server_url}/invite/{invitation.token}/")
    assert organisation.name in page.locator("h1").inner_text()
    screenshot(page, "people-1-invitation")
    # Fields by name, not by label: the labels change with the language.
    page.locator("input[name=name]").fill("Nina Nieuwenhuis")
    page.locator("input[name=email]").fill("nina@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password_again]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/welcome/")

    # 2. The first-run page asks the essentials, photo included.
    assert "Nina" in page.locator("h1").inner_text()
    page.locator("input[name=photo]").set_input_files(str(_portrait(tmp_path / "nina.png")))
    page.locator("input[name=function]").fill("Wijkverpleegkundige")
    assert page.locator("select[name=team]").input_value() == str(wijkteam.pk)
    page.locator("input[name=location]").fill("Utrecht")
    page.locator("input[name=expertise]").fill("palliatieve zorg, diabetes, medicatieveiligheid")
    page.locator("input[name=languages][value=nl]").check()
    screenshot(page, "people-2-welcome")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/people/nina.nieuwenhuis/")

    # The photo was stored re-encoded and square, and the page shows it.
    nina = User.objects.get(email="nina@example.org")
    assert nina.organisation == organisation and nina.team == wijkteam
    assert nina.onboarded_at is not None
    photo = page.locator(".brug-person-header img")
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 480
    response = page.request.get(f"{live_server_url}/people/nina.nieuwenhuis/photo")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert Image.open(io.BytesIO(response.body())).size == (480, 480)
    percent = page.locator(".brug-completeness-percent").inner_text()
    assert percent != "100%"
    screenshot(page, "people-3-profile-after-welcome")

    # 3. What is still missing links to the field; filling it in makes 100%.
    page.locator(".brug-missing a").first.click()
    page.wait_for_url(re.compile(r"/me/profile/#field-"))
    page.locator("textarea[name=bio]").fill("Twaalf jaar wijkverpleegkundige in Utrecht-Oost.")
    page.locator("input[name=ask_me_about]").fill("Palliatieve zorg thuis")
    for day in ("mon", "tue", "thu"):
        page.locator(f"input[name=working_days][value={day}]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".brug-completeness-percent").inner_text() == "100%"
    screenshot(page, "people-4-profile-complete")

    # 4. The directory: typing an expertise narrows the list as one types (htmx).
    page.goto(f"{live_server_url}/people/")
    assert page.locator(".brug-person-card").count() >= 4
    page.locator("#filter-expertise").press_sequentially("wond", delay=60)
    page.wait_for_url(re.compile(r"expertise=wond"))
    cards = page.locator(".brug-person-card")
    cards.first.wait_for()
    page.wait_for_function("document.querySelectorAll('.brug-person-card').length === 1")
    assert "Joost Kuipers" in cards.first.inner_text()
    assert page.locator(".brug-tag-match").first.inner_text() == "Wondzorg"
    screenshot(page, "people-5-directory-expertise")
    with page.expect_navigation():
        page.get_by_role("link", name="Joost Kuipers").click()
    assert page.url.endswith("/people/joost.kuipers/")
    screenshot(page, "people-6-colleague")

    assert errors == []
