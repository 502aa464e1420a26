"""Journey: search a Dutch word as you type, filter by type, open a result (real chromium)."""

import pytest
from playwright.sync_api import expect

from brug.search.queries import SearchFilters, search
from tests.browser import screenshot, sign_in
from tests.fixtures import PASSWORD


@pytest.mark.browser
def test_search_a_dutch_word_filter_by_type_and_open_a_result(
    live_server_url, page, corpus, member, other_team
):
    errors: list[str] = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server_url, member.email, PASSWORD)

    # The header's search box leads to the search page.
    page.locator("#brug-search-q").fill("samenwerking")
    with page.expect_navigation():
        page.locator("#brug-search-q").press("Enter")
    assert "/search/?q=samenwerking" in page.url
    hits = page.locator("[data-testid=hit]")
    assert hits.count() == 5

    # Search as you type: another form of the word, no Enter.
    box = page.locator("#search-page-q")
    box.fill("")
    box.press_sequentially("samenwerkingen", delay=20)
    page.wait_for_url("**q=samenwerkingen**")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=hit]').length === 5"
        " && document.querySelector('#search-results mark') !== null"
    )
    assert "samenwerking" in page.locator("#search-results mark").first.inner_text().lower()
    screenshot(page, "search-results-samenwerkingen")

    # Filter by type: only the reply.
    page.locator("[data-testid=tab-comment]").click()
    page.wait_for_url("**type=comment**")
    page.wait_for_function("document.querySelectorAll('[data-testid=hit]').length === 1")
    assert page.locator("[data-testid=tab-comment] .brug-count").inner_text() == "1"
    screenshot(page, "search-results-comments")

    # Open the result: the post, scrolled to the reply.
    with page.expect_navigation():
        page.locator("[data-testid=hit] h2 a").click()
    assert page.url.endswith(f"/posts/{corpus.open_post.pk}/#comment-{corpus.comment.pk}")
    assert page.locator(f"#comment-{corpus.comment.pk}").is_visible()
    screenshot(page, "search-opened-result")

    # The team menu loads its teams when the filters open; choosing one narrows the search.
    page.goto(f"{live_server_url}/search/?q=samenwerking")
    assert page.locator("#search-team option").count() == 1  # "All teams" only
    page.locator(".brug-search-filters summary").click()
    expect(page.locator("#search-team option")).to_have_count(3)  # "All teams" and two
    page.locator("#search-team").select_option(str(other_team.pk))
    page.wait_for_url(f"**team={other_team.pk}**")
    by_team = search(
        viewer=member, q="samenwerking", filters=SearchFilters(team_id=other_team.pk)
    ).hits
    assert len(by_team) < 5
    expect(page.locator("[data-testid=hit]")).to_have_count(len(by_team))
    screenshot(page, "search-filtered-by-team")
    assert errors == [], "\n".join(errors)
