"""Journey: search a Dutch word as you type, filter by type, open a result (real chromium)."""

import pytest

from tests.browser import screenshot, sign_in
from tests.fixtures import PASSWORD


@pytest.mark.browser
def test_search_a_dutch_word_filter_by_type_and_open_a_result(
    live_server_url, page, corpus, member
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
    assert errors == [], "\n".join(errors)
