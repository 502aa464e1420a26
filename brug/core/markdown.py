"""Render user Markdown to safe HTML, and find the ``@handle`` mentions in it.

Always both steps (SECURITY.md promise 4): markdown-it-py with raw HTML off,
then nh3 with an allow-list of tags, attributes and URL schemes, so that
``<script>``, ``javascript:`` and ``data:`` links, ``onerror`` and ``<svg
onload>`` come out inert even if one of the two steps has a bug.

Pasted URLs become links (linkify) but are never fetched by the server: no
link previews, no images from elsewhere (Markdown images render as links, and
the CSP would refuse them anyway). ``@handle`` mentions in running text (not
in code, not inside links) become links to the person's profile when the
caller passes a URL for that handle; ``@all`` stays text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# A handle as ``brug.people.handles.HANDLE_RE`` makes them, in running text:
# not preceded by a word character, "@" or "." (e-mail addresses, "a@b"), and
# never ending in a dot, dash or underscore (so "@sanne.dewit." ends a sentence).
MENTION_RE = re.compile(r"(?<![\w@./+-])@([a-z0-9](?:[a-z0-9._-]{0,38}[a-z0-9])?)(?![\w@])", re.I)
MENTION_ALL = "all"

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_CLASSES = {"a": {"mention"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"


def _mentions_rule(state: StateCore) -> None:
    """Collect ``@handle``s from text tokens and link those the caller resolved."""
    urls: Mapping[str, str] = state.env.get("mention_urls") or {}
    found: list[str] = state.env.setdefault("found_mentions", [])
    seen: set[str] = state.env.setdefault("_seen_mentions", set())
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for token in block.children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            if token.type != "text" or link_depth or "@" not in token.content:
                children.append(token)
                continue
            children.extend(_split_text(token, urls, found, seen))
        block.children = children


def _split_text(
    token: Token, urls: Mapping[str, str], found: list[str], seen: set[str]
) -> list[Token]:
    out: list[Token] = []
    text = token.content
    position = 0
    for match in MENTION_RE.finditer(text):
        handle = match.group(1).lower()
        if handle not in seen:
            seen.add(handle)
            found.append(handle)
        url = urls.get(handle)
        if not url:
            continue
        if match.start() > position:
            out.append(_text(text[position : match.start()]))
        link_open = Token("link_open", "a", 1)
        link_open.attrs = {"href": url, "class": "mention"}
        out.extend([link_open, _text(match.group(0)), Token("link_close", "a", -1)])
        position = match.end()
    if not out:
        return [token]
    if position < len(text):
        out.append(_text(text[position:]))
    return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["linkify", "strikethrough", "table"])
    # No images from elsewhere: the server never fetches, and the browser
    # should not either (tracking pixels). Attachments carry the pictures.
    md.disable("image")
    md.core.ruler.push("brug_mentions", _mentions_rule)
    return md


def parse_mentions(text: str) -> list[str]:
    """Return the distinct handles mentioned in ``text``, lower case, in order.

    ``"all"`` is included when the text says ``@all``. Mentions inside code
    and inside links do not count.
    """
    env: dict = {}
    _parser().parse(text or "", env)
    return list(env.get("found_mentions", []))


def sanitize_html(html: str) -> str:
    """Clean HTML with Brug's allow-list (the second of the two steps)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str, *, mention_urls: Mapping[str, str] | None = None) -> str:
    """Render Markdown to sanitised HTML; link the mentions found in ``mention_urls``.

    ``mention_urls`` maps lower-case handles to profile URLs; handles not in it
    stay plain text (the caller decides who may be linked).
    """
    md = _parser()
    env: dict = {"mention_urls": dict(mention_urls or {})}
    html = md.renderer.render(md.parse(text or "", env), md.options, env)
    return sanitize_html(html)
