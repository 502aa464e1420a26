"""Accessibility: the main pages pass axe-core's WCAG 2.2 A and AA rules, light and dark.

Dutch municipalities and care groups must buy software that meets WCAG
(EN 301 549). axe-core (bundled by ``axe-playwright-python``, nothing
fetched) runs in Debian's chromium against a real uvicorn, on every page a
member meets in a day: feeds, a space and its members, a post, questions,
people, a profile, search, notifications and their settings, with the
mention menu open, in the light and the dark theme; then the pages only a
community manager sees. Any violation fails with its rule, impact and the
elements it found.
"""

import pytest

from brug.core import jobs
from brug.people import actions as people
from brug.posts import actions as posts
from brug.questions import actions as questions
from brug.spaces.actions import ensure_questions_space
from tests.browser import screenshot, sign_in
from tests.fixtures import PASSWORD

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in result.response["violations"]
    ]


def _check(page, base_url: str, path: str, found: dict) -> None:
    page.goto(f"{base_url}{path}")
    page.wait_for_load_state("networkidle")
    problems = _violations(page)
    if problems:
        found[f"{page.evaluate('document.documentElement.dataset.bsTheme')} {path}"] = problems


@pytest.fixture
def day_of_work(organisation, owner, member, moderator, outsider, space, community_manager):
    """A space with posts, a mention, a comment and a pinned post; an answered question."""
    people.update_profile(
        person=outsider, by=outsider, function="Wondverpleegkundige", expertise=["Wondzorg"]
    )
    post = posts.create_post(
        author=member,
        space=space,
        title="Overdracht in het weekend",
        body="Wie kijkt mee naar de nieuwe overdracht, @mo.derator? **Graag voor vrijdag.**",
        rate_limit=False,
    )
    posts.create_comment(author=moderator, post=post, body="Ik kijk vandaag.", rate_limit=False)
    posts.add_reaction(person=owner, post=post, kind="like", rate_limit=False)
    pinned = posts.create_post(
        author=owner, space=space, body="Welkom in deze ruimte.", rate_limit=False
    )
    posts.pin_post(moderator=owner, post=pinned)
    posts.create_post(
        author=member,
        space=None,
        kind="work_out_loud",
        body="Ik werk aan een checklist voor nieuwe collega's.",
        rate_limit=False,
    )
    durf = ensure_questions_space(organisation=organisation)
    question = questions.ask_question(
        asker=member,
        space=durf,
        title="Hoe vraag ik verlof aan?",
        body="Ik kan de knop niet vinden.",
        rate_limit=False,
    )
    questions.answer_question(
        author=outsider, question=question, body="Via Mijn AFAS, tegel Verlof.", rate_limit=False
    )
    jobs.run_pending()
    return {"post": post, "question": question}


@pytest.mark.browser
def test_the_main_pages_pass_wcag_aa_in_light_and_dark(
    start_uvicorn, page, member, outsider, space, community_manager, day_of_work
):
    base_url = start_uvicorn(env={"BRUG_LANGUAGE": "nl"}).url
    page.goto(f"{base_url}/login/")
    found: dict[str, list[str]] = {}
    problems = _violations(page)
    if problems:
        found["light /login/"] = problems
    sign_in(page, base_url, member.email, PASSWORD)
    post, question = day_of_work["post"], day_of_work["question"]
    paths = [
        "/",
        f"/spaces/{space.slug}/",
        f"/spaces/{space.slug}/members/",
        "/spaces/",
        "/spaces/new/",
        f"/posts/{post.pk}/",
        "/questions/",
        f"/questions/{question.pk}/",
        "/questions/ask",
        "/people/?expertise=wondzorg",
        f"/people/{outsider.handle}/",
        "/me/profile/",
        "/search/?q=overdracht",
        "/notifications/",
        "/notifications/preferences/",
    ]
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for path in paths:
            _check(page, base_url, path, found)
        # The mention menu, open.
        page.goto(f"{base_url}/spaces/{space.slug}/")
        page.locator("#composer-body").click()
        page.locator("#composer-body").press_sequentially("@wond", delay=30)
        page.locator("[data-handle]").first.wait_for()
        problems = _violations(page)
        if problems:
            found[f"{scheme} mention menu"] = problems
        screenshot(page, f"accessibility-mention-menu-{scheme}", full_page=False)

    # On a phone: the collapsed navigation, and a long mention menu.
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/", f"/spaces/{space.slug}/", f"/posts/{post.pk}/", f"/questions/{question.pk}/"):
        _check(page, base_url, path, found)
    page.goto(f"{base_url}/spaces/{space.slug}/")
    page.locator("#composer-body").click()
    page.locator("#composer-body").press_sequentially("@", delay=30)
    page.locator("[data-handle]").nth(2).wait_for()
    page.locator("#composer-body").press("ArrowDown")
    problems = _violations(page)
    if problems:
        found["phone mention menu"] = problems
    screenshot(page, "accessibility-phone-mention-menu", full_page=False)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base_url, community_manager.email, PASSWORD)
    for path in ("/people/invitations/", "/spaces/teams/", f"/spaces/{space.slug}/members/"):
        _check(page, base_url, path, found)

    assert found == {}, "\n".join(f"{where}: {problems}" for where, problems in found.items())
