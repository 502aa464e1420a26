"""Text in both languages: tokens, Dutch and English stems, query terms, snippets.

Every document and every query goes through the same steps, in Python, on
both databases:

1. ``fold``: lowercase, Unicode compatibility decomposition (NFKD), accents
   dropped ("Café" -> "cafe", "ﬁ" -> "fi", "x²" -> "x2").
2. ``tokens``: runs of letters and digits (``_`` and punctuation separate);
   tokens longer than ``MAX_TOKEN_LENGTH`` are dropped.
3. ``token_stems``: a token with a digit is kept as it is (PostgreSQL's
   ``numword``/``uint`` tokens go to its ``simple`` dictionary); any other
   token gets its Dutch stem (``dutch_porter``, unless a Dutch stop word) and
   its English stem (``english``, unless an English stop word), deduplicated.

On SQLite the stems are what the FTS5 index holds. On PostgreSQL the folded
tokens (``normalized``) are given to ``to_tsvector('dutch', ...) ||
to_tsvector('english', ...)``, whose parser sees plain space-separated words
and whose stop words and stemmers are the same (PostgreSQL 15's ``dutch`` is
the classic Porter-based Dutch stemmer, i.e. snowballstemmer's
``dutch_porter``). Known difference: Snowball 3's English stemmer (in
snowballstemmer 3.1.1) changed a few rules that PostgreSQL 15 still has in
their older form ("added"/"adding" -> "add" instead of "ad"; words starting
with "inter", "univers", "organ"); about one English word in a thousand is
stemmed differently, so on those words the two databases can disagree.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.safestring import SafeString, mark_safe

from brug.search.enums import DocumentKind
from brug.search.stopwords import DUTCH, ENGLISH

MAX_TOKEN_LENGTH = 100
MAX_QUERY_TERMS = 12
# The last word of a query is matched as a prefix once it has this many
# letters ("samenw" finds "samenwerking" while someone types).
PREFIX_MIN_LENGTH = 3

_WORD = re.compile(r"[^\W_]+")
_DIGITS = frozenset("0123456789")
_local = threading.local()


def _stemmers() -> tuple:
    """Return this thread's stemmers (a Snowball stemmer object is not thread-safe)."""
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = (snowballstemmer.stemmer("dutch_porter"), snowballstemmer.stemmer("english"))
        _local.stemmers = stemmers
    return stemmers


def fold(text: str) -> str:
    """Lowercase, decompose and drop accents and other combining marks."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def tokens(text: str) -> list[str]:
    """Return the folded words of ``text`` in order."""
    return [t for t in _WORD.findall(fold(text or "")) if len(t) <= MAX_TOKEN_LENGTH]


def normalized(text: str) -> str:
    """Return the folded words joined by spaces (what PostgreSQL is given to parse)."""
    return " ".join(tokens(text))


@lru_cache(maxsize=200_000)
def token_stems(token: str) -> tuple[str, ...]:
    """Return the Dutch and English stems of one folded token (none for stop words)."""
    if not _DIGITS.isdisjoint(token):
        return (token,)
    dutch, english = _stemmers()
    stems: list[str] = []
    if token not in DUTCH:
        stems.append(dutch.stemWord(token))
    if token not in ENGLISH:
        stem = english.stemWord(token)
        if stem not in stems:
            stems.append(stem)
    return tuple(stems)


def stems(text: str) -> str:
    """Return the stems of every word of ``text``, space-separated, in word order."""
    return " ".join(stem for token in tokens(text) for stem in token_stems(token))


# Queries ---------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query: it matches a document holding either of its stems."""

    token: str
    stems: tuple[str, ...]
    languages: tuple[str, ...]  # PostgreSQL configurations that give it a lexeme
    prefix: bool = False
    # A prefix that SQLite's ``expand`` turned into the terms it stands for: the
    # prefix's own stems (every expanded stem starts with one of them).
    expanded_from: tuple[str, ...] = ()

    def matches(self, stem: str) -> bool:
        if self.prefix:
            return any(stem.startswith(own) for own in self.stems)
        return stem in self.stems


def parse_query(
    q: str,
    *,
    prefix_last: bool = True,
    prefix_all: bool = False,
    prefix_min_length: int = PREFIX_MIN_LENGTH,
) -> list[Term]:
    """Split a query into terms, all of which must match.

    A word that is a stop word in either language is left out of the query
    (a Dutch "de" or "met" would otherwise demand that an English post
    contains that word). Documents still keep the stems of such words in the
    other language, exactly as PostgreSQL's ``dutch`` and ``english``
    configurations do. The last word (every word with ``prefix_all``, as in
    the people picker) of at least ``prefix_min_length`` letters matches as
    a prefix; in the people picker a stop word is kept as a plain prefix,
    since it may be the start of a name.
    """
    words = tokens(q or "")[: MAX_QUERY_TERMS * 2]
    terms: list[Term] = []
    seen: set[tuple[str, bool]] = set()
    for index, token in enumerate(words):
        last = index == len(words) - 1
        prefix = (prefix_all or (prefix_last and last)) and len(token) >= prefix_min_length
        if (token, prefix) in seen:
            continue
        seen.add((token, prefix))
        stop_word = token in DUTCH or token in ENGLISH
        if not _DIGITS.isdisjoint(token) or (stop_word and prefix_all and prefix):
            # Digits, and in the people picker a stop word typed as the start
            # of a name ("de" of "Dekker", "van" of "Vandenberg"): the folded
            # token itself, as a prefix of any stem, on both backends.
            terms.append(Term(token=token, stems=(token,), languages=("simple",), prefix=prefix))
            continue
        if stop_word:
            continue
        terms.append(
            Term(
                token=token,
                stems=token_stems(token),
                languages=("dutch", "english"),
                prefix=prefix,
            )
        )
    return terms[:MAX_QUERY_TERMS]


def fts5_query(terms: list[Term], kind: str | None = None) -> str:
    """Build an FTS5 MATCH expression: each term's stems OR-ed, terms AND-ed.

    The words are matched in the title and the text only (not in the
    ``kind`` column); with ``kind`` only documents of that kind match.
    ``kind`` is one of ``DocumentKind``'s values, never user input.
    """
    parts = []
    for term in terms:
        star = "*" if term.prefix else ""
        parts.append("(" + " OR ".join(f'"{stem}"{star}' for stem in term.stems) + ")")
    query = "{title_stems stems} : (" + " AND ".join(parts) + ")"
    if kind is not None:
        if kind not in DocumentKind.values:
            raise ValueError(f"not a kind of document: {kind!r}")
        query += f' AND kind : "{kind}"'
    return query


# Snippets ----------------------------------------------------------------------


class _Matcher:
    """Which words of a text match one of ``terms`` (as ``Term.matches``); one per query.

    A word is stemmed and tested once (the exact stems as a set, the
    prefixes as a tuple) and remembered as a hit or a miss, so a text costs
    a split into words and two set operations; a few hundred words a page
    tested one by one were a third of a rare word's Python.
    """

    REMEMBERED = 20_000  # words remembered, before they are forgotten all at once

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.exact = frozenset(stem for term in terms if not term.prefix for stem in term.stems)
        self.prefixes = tuple(stem for term in terms if term.prefix for stem in term.stems)
        self.hits: set[str] = set()
        self.misses: set[str] = set()

    def is_hit(self, word: str) -> bool:
        for token in tokens(word):
            for stem in token_stems(token):
                if stem in self.exact or stem.startswith(self.prefixes):
                    return True
        return False

    def found(self, words: set[str]) -> frozenset[str]:
        """The words of ``words`` that match.

        Works on the sets it started with, so another thread forgetting them
        meanwhile costs a test again, never a wrong answer.
        """
        hits, misses = self.hits, self.misses
        new = set()
        for word in words - hits - misses:
            (new if self.is_hit(word) else misses).add(word)
        hits |= new
        if len(hits) + len(misses) > self.REMEMBERED:
            self.hits, self.misses = set(), set()
        return frozenset((words & hits) | new)


@lru_cache(maxsize=1024)
def _matcher(terms: tuple[Term, ...]) -> _Matcher:
    return _Matcher(terms)


# Up to this many characters, a text's hits are found from its distinct words.
SCAN_AT_ONCE = 4000


def _hits(
    text: str, terms: list[Term], start: int = 0, end: int | None = None
) -> Iterator[tuple[int, int]]:
    """The spans of the words of ``text[start:end]`` that match a term, in order.

    ``start`` and ``end`` are word boundaries. A text of up to ``SCAN_AT_ONCE``
    characters is split into its distinct words at once, and the spans are
    those of the matching ones (a hit's text has few). A longer text is
    walked word by word, so a caller that stops at the first hit reads no
    further.
    """
    end = len(text) if end is None else end
    matcher = _matcher(tuple(terms))
    if end - start > SCAN_AT_ONCE:
        return _hits_stepwise(text, matcher, start, end)
    found = matcher.found(set(_WORD.findall(text, start, end)))
    return iter(_spans(text, found, start, end)) if found else iter(())


def _spans(text: str, words: frozenset[str], start: int, end: int) -> list[tuple[int, int]]:
    """The spans of ``words`` standing as whole words (as ``_WORD`` finds them) in
    ``text[start:end]``, in order."""
    spans = []
    for word in words:
        at = text.find(word, start, end)
        while at != -1:
            after = at + len(word)
            # A word character is what ``_WORD`` matches: alphanumeric (``_`` is not).
            if (at == start or not text[at - 1].isalnum()) and (
                after == end or not text[after].isalnum()
            ):
                spans.append((at, after))
            at = text.find(word, at + 1, end)
    spans.sort()
    return spans


def _hits_stepwise(text: str, matcher: _Matcher, start: int, end: int) -> Iterator[tuple[int, int]]:
    for match in _WORD.finditer(text, start, end):
        if matcher.found({match.group()}):
            yield match.span()


def highlight(text: str, terms: list[Term]) -> SafeString:
    """Escape ``text`` and wrap the words that match a term in ``<mark>``."""
    text = text or ""
    return _render(text, list(_hits(text, terms)), 0, len(text))


def snippet(text: str, terms: list[Term], *, length: int = 220) -> SafeString:
    """Return an escaped extract of ``text`` around the first match, matches marked.

    The text is escaped first and ``<mark>`` is added around escaped words, so
    user content can never inject markup. A text longer than ``SCAN_AT_ONCE``
    is looked at only up to its first match and in the extract, however long.
    """
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")  # noqa: S308 - an empty string
    first = next(_hits(text, terms), None)
    start = 0
    if first and first[0] > length // 3:
        start = text.rfind(" ", 0, first[0] - length // 4) + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start:
            end = space
    return _render(text, list(_hits(text, terms, start, end)), start, end)


def _render(text: str, hits: list[tuple[int, int]], start: int, end: int) -> SafeString:
    out: list[str] = ["…" if start > 0 else ""]
    position = start
    for hit_start, hit_end in hits:
        if hit_end <= start or hit_start >= end:
            continue
        # ``html.escape`` is what Django's ``escape`` does to a plain string.
        out.append(html.escape(text[position:hit_start]))
        out.append("<mark>" + html.escape(text[hit_start:hit_end]) + "</mark>")
        position = hit_end
    out.append(html.escape(text[position:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above
