"""Personal API tokens.

A token is ``brug_`` followed by 40 URL-safe random characters. Only its
SHA-256 hex digest is stored (``ApiToken.digest``) together with the first 8
characters after the ``brug_`` marker (``ApiToken.prefix``) so a person can
recognise a token in a list without the secret being kept anywhere.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from brug.people.models import ApiToken, User

TOKEN_MARKER = "brug_"  # noqa: S105 (a public marker, not a secret)
PREFIX_LENGTH = 8
MAX_TOKEN_LENGTH = 200
# ``last_used_at`` is written at most this often per token, so a busy client
# does not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_token(token: str) -> str:
    """Return the SHA-256 hex digest of the full token (what is stored)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a personal token for ``user``; return the row and the token (shown once)."""
    secret = secrets.token_urlsafe(30)  # 40 characters, 240 bits
    token = f"{TOKEN_MARKER}{secret}"
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user,
            name=name[:100],
            digest=digest_token(token),
            prefix=secret[:PREFIX_LENGTH],
        )
    return row, token


def create_token(*, user: User, name: str = "") -> str:
    """Create a personal token for ``user`` and return it (shown once, never stored)."""
    return issue_token(user=user, name=name)[1]


def verify_token(token: str) -> User | None:
    """Return the active user a token belongs to, or ``None``.

    Unknown, revoked (deleted) tokens and tokens of inactive people all give
    ``None``. The lookup is by digest, so timing does not depend on how much of
    the token matches. ``last_used_at`` is updated at most once a minute.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return None
    try:
        api_token = ApiToken.objects.select_related("user", "user__organisation", "user__team").get(
            digest=digest_token(token)
        )
    except ApiToken.DoesNotExist:
        return None
    user = api_token.user
    if not user.is_active:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION:
        # A conditional update: concurrent requests write at most once.
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ApiToken.objects.filter(stale, pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
    return user


def revoke_token(*, user: User, token_id: int) -> bool:
    """Delete one of ``user``'s tokens; return whether one was deleted."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    return bool(deleted)
