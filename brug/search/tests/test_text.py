"""Tokens, stems, query terms and snippets (no database)."""

import pytest
import snowballstemmer

from brug.search.text import (
    fts5_query,
    highlight,
    normalized,
    parse_query,
    snippet,
    stems,
    token_stems,
    tokens,
)


def test_snowballstemmer_offers_the_classic_dutch_stemmer():
    assert "dutch_porter" in snowballstemmer.algorithms()


def test_dutch_plural_and_singular_share_a_stem():
    assert set(token_stems("samenwerkingen")) & set(token_stems("samenwerking"))


def test_english_inflections_share_a_stem():
    assert set(token_stems("collaborating")) & set(token_stems("collaboration"))


def test_every_word_is_stemmed_in_both_languages():
    # Dutch "vragen" -> "vrag"; English keeps "vragen": both are indexed.
    assert token_stems("vragen") == ("vrag", "vragen")
    assert stems("Samenwerkingen") == "samenwerk samenwerkingen"


def test_accents_and_compatibility_forms_are_folded():
    assert tokens("Café naïef ﬁle x²") == ["cafe", "naief", "file", "x2"]


def test_underscores_and_punctuation_separate_words():
    assert normalized("ICT-afdeling, jaar_plan.pdf") == "ict afdeling jaar plan pdf"


def test_stop_words_keep_the_stem_of_the_other_language_in_documents():
    # "de" is a Dutch stop word, not an English one; "the" the other way round.
    assert token_stems("de") == ("de",)
    assert token_stems("the") == ("the",)
    assert token_stems("is") == ()


def test_stop_words_of_either_language_drop_out_of_queries():
    assert [term.token for term in parse_query("de samenwerking met the team")] == [
        "samenwerking",
        "team",
    ]


def test_words_with_digits_are_kept_whole():
    term = parse_query("covid19 2027", prefix_last=False)[0]
    assert term.stems == ("covid19",) and term.languages == ("simple",)


def test_the_last_word_of_three_letters_or_more_is_a_prefix():
    terms = parse_query("samenwerking wijk")
    assert [t.prefix for t in terms] == [False, True]
    assert parse_query("wi")[0].prefix is False
    assert all(t.prefix for t in parse_query("s d", prefix_all=True, prefix_min_length=1))


def test_fts5_query_quotes_every_stem_so_query_syntax_is_inert():
    query = fts5_query(parse_query('NEAR OR "x" AND samenw'))
    assert query == '{title_stems stems} : (("near") AND ("x") AND ("samenw"*))'
    assert fts5_query(parse_query("x"), "comment").endswith(' AND kind : "comment"')
    with pytest.raises(ValueError):
        fts5_query(parse_query("x"), 'post" OR "comment')


def test_snippet_escapes_the_text_before_marking_matches():
    text = "Pas op met <script>alert('xss')</script> in het beveiligingsbeleid."
    html = str(snippet(text, parse_query("script beveiligingsbeleid")))
    assert "<script>" not in html
    assert "&lt;<mark>script</mark>&gt;alert(&#x27;xss&#x27;)" in html
    assert "<mark>beveiligingsbeleid</mark>" in html


def test_snippet_of_a_long_text_starts_near_the_first_match():
    text = "Inleiding " * 60 + "hier staat de samenwerking beschreven " + "slot " * 60
    html = str(snippet(text, parse_query("samenwerking")))
    assert html.startswith("…")
    assert html.endswith("…")
    assert "<mark>samenwerking</mark>" in html
    assert len(html) < 320


def test_highlight_marks_every_form_of_a_term():
    html = str(
        highlight("Samenwerkingen en samenwerking", parse_query("samenwerking", prefix_last=False))
    )
    assert html == "<mark>Samenwerkingen</mark> en <mark>samenwerking</mark>"


def test_a_snippet_marks_every_match_in_its_extract_and_nothing_outside_it():
    text = (
        "samenwerking "
        + "vulling " * 80
        + "een samenwerking en nog een samenwerking "
        + "rest " * 80
    )
    html = str(snippet(text, parse_query("samenwerking", prefix_last=False)))
    assert html.startswith("<mark>samenwerking</mark>")  # the first match opens the extract
    assert html.count("<mark>") == 1  # the later ones lie outside it
    assert len(html) < 320
    late = "vulling " * 80 + "een samenwerking en nog een samenwerking " + "rest " * 80
    html = str(snippet(late, parse_query("samenwerking", prefix_last=False)))
    assert html.count("<mark>samenwerking</mark>") == 2


@pytest.mark.parametrize(
    "query",
    ["samenwerking", "samenw", "project plan", "café", "rooster_", "2024", "overdracht team"],
)
def test_hits_found_at_once_are_the_hits_found_word_by_word(query):
    """The distinct-word path of ``_hits`` finds the spans the word-by-word walk finds."""
    import random

    from brug.search.text import _WORD, _hits, _hits_stepwise, _matcher, parse_query

    words = [
        "Samenwerking", "samenwerkingen", "SAMENWERKEN", "project", "projecten", "projectplan",
        "plan", "Café", "cafe\u0301", "rooster_team", "rooster", "2024", "x2024", "overdracht",
        "team's", "teamoverleg", "ij", "één", "naïef", "straße",
    ]  # fmt: skip
    separators = [" ", ", ", ". ", "\n", " - ", "_", "/", "(", ") ", "… "]
    terms = parse_query(query)
    matcher = _matcher(tuple(terms))
    rng = random.Random(query)
    for _ in range(300):
        text = "".join(
            rng.choice(words) + rng.choice(separators) for _ in range(rng.randrange(0, 30))
        )
        assert list(_hits(text, terms)) == list(_hits_stepwise(text, matcher, 0, len(text)))
        # Any range between word boundaries, as snippets cut them.
        bounds = [0, len(text)] + [m.end() for m in _WORD.finditer(text)]
        bounds += [m.start() for m in _WORD.finditer(text)]
        start, end = sorted(rng.sample(bounds, 2)) if len(bounds) > 2 else (0, len(text))
        assert list(_hits(text, terms, start, end)) == list(
            _hits_stepwise(text, matcher, start, end)
        ), (text, start, end)
