"""Template helpers of the posts pages (``{% load posts_tags %}``)."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def space_url(space) -> str:
    """The page of a space (the home feed while the spaces pages are not there)."""
    from brug.posts.views import space_url as url

    return url(space)


@register.filter
def profile_url(person) -> str:
    """A person's profile, or their posts when profiles are not there."""
    from brug.posts.actions import profile_url as url

    return url(person.handle) if person is not None else ""


@register.filter
def visible_reactions(summary) -> list:
    """The reactions somebody gave (shown as counters; the rest sit in the picker)."""
    return [reaction for reaction in summary or () if reaction.count]


@register.filter
def ago(value) -> str:
    """ "3 days ago" with one unit only ("2 weeks", not "1 week, 6 days"); "just now" first."""
    from django.utils.timesince import timesince
    from django.utils.translation import gettext

    if not value:
        return ""
    from django.utils import timezone

    if timezone.now() - value < timedelta(minutes=1):
        return gettext("just now")
    return gettext("%(when)s ago") % {"when": timesince(value, depth=1)}


def _plain_text(post) -> str:
    """The post's text without Markdown or HTML (from its sanitised rendering)."""
    from html import unescape

    from django.utils.html import strip_tags

    return unescape(strip_tags(post.body_html)) if post.body_html else post.body


@register.filter
def post_headline(post, length: int = 80) -> str:
    """A post's title, or the first line of its text, shortened (plain text: autoescaped)."""
    from django.utils.text import Truncator

    text = post.title or next((line for line in _plain_text(post).splitlines() if line.strip()), "")
    return Truncator(" ".join(text.split())).chars(int(length))


@register.filter
def post_excerpt(post, length: int = 240) -> str:
    """A post's text on one line, shortened (plain text: autoescaped)."""
    from django.utils.text import Truncator

    return Truncator(" ".join(_plain_text(post).split())).chars(int(length))
