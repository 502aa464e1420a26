"""Journey: ask anonymously in "Durf te vragen", a colleague of another team answers,
the asker sees it live and accepts, and the question shows in the knowledge listing.

Debian's chromium against a real uvicorn (SSE needs a real server). Screenshots
go to test-artifacts/questions-*.png. Console errors (a script or style
refused by the CSP) fail the journey.
"""

from __future__ import annotations

import re

import pytest

from brug.questions.tests.conftest import answer, ask, run_jobs
from tests.browser import screenshot, sign_in
from tests.fixtures import PASSWORD

TITLE = "Hoe vraag ik verlof aan voor de uitvaart van mijn oom?"


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
def test_ask_anonymously_get_a_live_answer_from_another_team_accept_and_find_it_as_knowledge(
    live_server_url, browser, page, member, colleague, owner, durf
):
    base = live_server_url
    # Knowledge that already exists, for the "similar questions" while typing.
    earlier = ask(owner, title="Hoe vraag ik bijzonder verlof aan in AFAS?", tags=["verlof"])
    answer(colleague, earlier, body="Via Mijn AFAS, tegel Verlof, kies 'bijzonder verlof'.")
    run_jobs()

    asker_errors = _watch(page)
    sign_in(page, base, member.email, PASSWORD)
    page.goto(f"{base}/questions/ask")
    page.locator("#ask-title").press_sequentially("verlof aanvragen uitvaart", delay=20)
    similar = page.locator("#similar-questions li")
    similar.first.wait_for()
    assert "bijzonder verlof" in similar.first.inner_text()
    page.locator("#ask-title").fill(TITLE)
    page.locator("#ask-body").fill("Ik weet niet of ik dit aan mijn teamleider mag vragen.")
    page.locator("#ask-tags").fill("verlof, hr")
    page.locator("#ask-anonymous").check()
    screenshot(page, "questions-1-ask-anonymously-with-similar")
    with page.expect_navigation():
        page.locator("[data-testid=ask-submit]").click()
    assert re.search(r"/questions/\d+/$", page.url)
    question_url = page.url
    head = page.locator(".brug-question-head")
    assert "Anoniem" in head.inner_text() or "Anonymous" in head.inner_text()
    assert member.name not in head.inner_text()
    page.locator("html[data-brug-stream=open]").wait_for()
    screenshot(page, "questions-2-asked-anonymously")

    # A colleague of another team answers, in their own browser.
    other = _context(browser)
    try:
        colleague_page = other.new_page()
        colleague_errors = _watch(colleague_page)
        sign_in(colleague_page, base, colleague.email, PASSWORD)
        colleague_page.goto(question_url)
        assert member.name not in colleague_page.content()
        colleague_page.locator("#answer-body").fill(
            "Bij een uitvaart van een oom heb je recht op één dag bijzonder verlof. "
            "Vraag het aan via AFAS; je teamleider hoeft niet te weten waarom."
        )
        colleague_page.locator("[data-testid=answer-submit]").click()
        colleague_page.locator("[data-answer-id]").first.wait_for()
        assert colleague_page.locator("[data-answer-id]").count() == 1
        assert colleague_page.locator("#answer-body").input_value() == ""
        screenshot(colleague_page, "questions-3-colleague-answered")
        assert colleague_errors == []
    finally:
        other.close()

    # The asker sees the answer appear without reloading, marked as from another team.
    live = page.locator("[data-answer-id]")
    live.first.wait_for(timeout=20_000)
    assert live.count() == 1
    assert page.locator("[data-testid=other-team]").count() == 0  # anonymous: teams not compared
    assert colleague.name in live.first.inner_text()
    heading = page.locator("[data-answer-heading]").inner_text().lower()
    assert heading in {"1 answer", "1 antwoord"}, heading
    screenshot(page, "questions-4-answer-appeared-live")

    with page.expect_navigation():
        page.locator("[data-testid=accept]").click()
    accepted = page.locator(".brug-answer.is-accepted")
    accepted.wait_for()
    assert colleague.name in accepted.inner_text()
    page.evaluate("window.scrollTo(0, 0)")  # the redirect lands on the answer's anchor
    screenshot(page, "questions-5-accepted")

    page.goto(f"{base}/questions/knowledge?tag=verlof")
    knowledge = page.locator("[data-testid=knowledge]")
    assert TITLE in knowledge.inner_text()
    assert member.name not in knowledge.inner_text()
    screenshot(page, "questions-6-knowledge")
    assert asker_errors == []


@pytest.mark.browser
def test_the_question_pages_on_a_phone_in_dark_mode(live_server_url, page, member, colleague, durf):
    errors = _watch(page)
    question = ask(member, title="Wie weet hoe de nieuwe tillift werkt?", tags=["tillift"])
    answer(colleague, question, body="Er hangt een kaart met stappen aan de mast.")
    ask(member, title="Waar vind ik het wondprotocol?", anonymous=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    sign_in(page, live_server_url, colleague.email, PASSWORD)
    page.goto(f"{live_server_url}/questions/")
    assert page.locator("[data-testid=question-card]").count() == 2
    screenshot(page, "questions-phone-dark-list")
    page.goto(f"{live_server_url}/questions/{question.pk}/")
    page.locator("[data-answer-id]").first.wait_for()
    screenshot(page, "questions-phone-dark-question")
    assert errors == []
