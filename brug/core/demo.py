"""The logins of the demo network, collected while ``brug demo`` loads it.

Each app's ``brug/<app>/demo.py`` offers ``load(*, rng, out)`` and calls
``add_login(role_label, email, password)`` for the people worth signing in
as (an admin, a community manager, a member, a guest …). ``brug demo`` prints
them at the end and keeps a copy in the data directory, so that ``make run``
can print them again on later starts.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

DEMO_ADMIN_EMAIL = "admin@brug.example"
# One fixed password for every demo login: the demo is for trying Brug out.
DEMO_PASSWORD = "welkom-bij-brug"  # noqa: S105

_logins: list[tuple[str, str, str]] = []


def add_login(role_label: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Register a login to print at the end of ``brug demo`` (once per address)."""
    if all(existing[1] != email for existing in _logins):
        _logins.append((str(role_label), email, password))


def logins() -> list[tuple[str, str, str]]:
    """Return the registered logins as (role label, e-mail, password)."""
    return list(_logins)


def reset() -> None:
    _logins.clear()


def logins_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.txt"


def format_logins(rows: list[tuple[str, str, str]]) -> str:
    """Return the logins as an aligned table."""
    if not rows:
        return ""
    width_role = max(len(row[0]) for row in rows)
    width_email = max(len(row[1]) for row in rows)
    return "\n".join(
        f"  {role:<{width_role}}  {email:<{width_email}}  {password}"
        for role, email, password in rows
    )
