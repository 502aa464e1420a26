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
