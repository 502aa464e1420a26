"""Template helpers of the people pages (``{% load people %}``)."""

from django import template
from django.utils.text import slugify

register = template.Library()


@register.filter
def matching_first(tags, term: str) -> list[tuple[object, bool]]:
    """Return ``(tag, matched)`` pairs, the tags matching the directory's expertise filter first.

    Matching is the directory's: part of the name, or of the slug.
    """
    term = (term or "").strip().lower()
    slug = slugify(term)
    pairs = [
        (tag, bool(term) and (term in tag.name.lower() or bool(slug and slug in tag.slug)))
        for tag in tags
    ]
    return sorted(pairs, key=lambda pair: not pair[1])
