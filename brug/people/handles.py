"""Make unique ``@handle``s from names ("Sanne de Wit" -> ``sanne.dewit``)."""

import re
import unicodedata

HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,38}[a-z0-9])?$")


def slug_handle(name: str) -> str:
    """Return a handle-shaped slug of a name: ascii, lower case, dots between words."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    if not words:
        return "person"
    if len(words) == 1:
        return words[0][:40]
    return f"{words[0]}.{''.join(words[1:])}"[:40]


def unique_handle(name: str) -> str:
    """Return a handle derived from ``name`` that no person has yet."""
    from brug.people.models import User

    base = slug_handle(name)[:36]
    candidate = base
    n = 2
    while User.objects.filter(handle=candidate).exists():
        candidate = f"{base}{n}"
        n += 1
    return candidate


# Words a handle may not be: they mean something in a mention or a URL.
RESERVED_HANDLES = frozenset(
    {"all", "everyone", "here", "channel", "me", "admin", "brug", "invitations", "photo", "people"}
)


def normalise_handle(value: str) -> str:
    """Return the handle as stored: stripped, without a leading ``@``, lower case."""
    return (value or "").strip().removeprefix("@").lower()


def validate_handle(value: str, *, person_pk: int | None = None) -> str:
    """Return the normalised handle, or raise ``ValidationError`` saying what is wrong.

    A handle is 1-40 characters of a-z, 0-9, dot, underscore and hyphen,
    starting and ending with a letter or digit, not reserved and not taken by
    another person (``person_pk`` is the person who would own it).
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from brug.people.models import User

    handle = normalise_handle(value)
    if not HANDLE_RE.match(handle):
        raise ValidationError(
            _(
                "A handle has 1 to 40 lower-case letters, digits, dots, hyphens or "
                "underscores, and starts and ends with a letter or digit."
            ),
            code="invalid",
        )
    if handle in RESERVED_HANDLES:
        raise ValidationError(_("This handle is reserved."), code="reserved")
    if User.objects.filter(handle=handle).exclude(pk=person_pk).exists():
        raise ValidationError(_("This handle is taken."), code="taken")
    return handle
