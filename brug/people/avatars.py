"""The default avatar: a person's initials on a coloured disc, as SVG made here.

The SVG holds no script, no links and no external references; the name is
reduced to at most two letters and XML-escaped, so nothing a person types can
end up as markup.
"""

from __future__ import annotations

import hashlib

from django.utils.html import escape

# Background colours with a contrast of at least 4.5:1 against white text.
PALETTE = ("#1f5f8b", "#8a3b12", "#2f6b3a", "#6b3f8f", "#9b2242", "#0f6a6a", "#5b5b14", "#3f4d9b")
PARTICLES = frozenset(
    {"de", "den", "der", "van", "von", "het", "ten", "ter", "te", "la", "le", "du"}
)


def initials(name: str) -> str:
    """Return up to two initials ("Sanne de Wit" -> "SW"), skipping Dutch particles."""
    parts = [p for p in (name or "").replace("@", " ").replace(".", " ").split() if p]
    if not parts:
        return "?"
    letters = [p[0] for p in parts if p.lower() not in PARTICLES] or [parts[0][0]]
    if len(letters) == 1:
        return letters[0].upper()
    return (letters[0] + letters[-1]).upper()


def initials_svg(*, name: str, key: str) -> bytes:
    """Return an SVG avatar with the initials of ``name``, coloured by ``key`` (the handle)."""
    colour = PALETTE[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(PALETTE)]
    text = escape(initials(name))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128" width="128" height="128"'
        ' role="img">'
        f'<rect width="128" height="128" fill="{colour}"/>'
        '<text x="64" y="64" dy=".35em" text-anchor="middle" fill="#ffffff"'
        ' font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
        f' font-size="52" font-weight="600">{text}</text></svg>'
    ).encode()
