"""Template tags of the web shell (``{% load brug %}``)."""

from django import template

register = template.Library()


@register.filter
def badge_count(value) -> str:
    """Show a count for a badge, capped at ``99+`` so the badge keeps its size."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    if number <= 0:
        return ""
    return "99+" if number > 99 else str(number)


@register.filter
def initials(person) -> str:
    """Return up to two initials of a person's name (or e-mail) for an avatar."""
    name = (getattr(person, "name", "") or getattr(person, "email", "") or "").strip()
    if not name:
        return "?"
    parts = [part for part in name.replace("@", " ").replace(".", " ").split() if part]
    # Dutch surname particles ("de", "van", "van der") are not initials.
    particles = {"de", "den", "der", "van", "von", "het", "ten", "ter", "te", "la", "le", "du"}
    letters = [part[0] for part in parts if part.lower() not in particles] or [parts[0][0]]
    if len(letters) == 1:
        return letters[0].upper()
    return (letters[0] + letters[-1]).upper()


_CHECKS = {"checkbox", "radio"}


@register.filter
def widget(field) -> str:
    """Render a bound field's widget with Bootstrap's classes (and ``is-invalid``).

    Django adds ``aria-invalid`` and ``aria-describedby`` (``<id>_error``,
    ``<id>_helptext``) itself; ``includes/field.html`` renders those ids.
    """
    widget_obj = field.field.widget
    input_type = getattr(widget_obj, "input_type", "")
    if input_type in _CHECKS or field.widget_type in {
        "checkbox",
        "radioselect",
        "checkboxselectmultiple",
    }:
        css = "form-check-input"
    elif field.widget_type in {"select", "selectmultiple", "nullbooleanselect"}:
        css = "form-select"
    else:
        css = "form-control"
    existing = widget_obj.attrs.get("class", "")
    classes = " ".join(
        part for part in (existing, css, "is-invalid" if field.errors else "") if part
    )
    return field.as_widget(attrs={"class": classes})
