"""Template helpers of the posts pages (``{% load posts_tags %}``)."""

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
    """ "3 days ago" with one unit only ("2 weeks", not "1 week, 6 days")."""
    from django.utils.timesince import timesince
    from django.utils.translation import gettext

    if not value:
        return ""
    return gettext("%(when)s ago") % {"when": timesince(value, depth=1)}
