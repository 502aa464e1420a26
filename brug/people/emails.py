"""Mails of the people app that are sent in-process (not by a job).

An invitation mail carries the invitation's secret link. Only the token's
digest is stored, so the token cannot be handed to a job row: the mail is
written and sent right after the invitation commits, by
``actions.create_invitation``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import loader
from django.urls import reverse
from django.utils import translation

from brug.people.enums import InvitationRole
from brug.people.models import Invitation


def quote_note(message: str) -> str:
    """Return a personal note as a plain-text quote (every line starts with "> ")."""
    return "\n".join(f"> {line}".rstrip() for line in message.splitlines())


def send_invitation(invitation: Invitation, token: str, language: str, message: str = "") -> None:
    """Mail the invitation link to ``invitation.email`` in ``language`` (``nl`` or ``en``).

    Plain text, from the installation's address with Reply-To the inviter, so
    an answer reaches a person. The link is built on ``settings.PUBLIC_URL``
    (the address people use), not on the request. A mail server that fails
    raises: the caller decides what that means.
    """
    inviter = invitation.created_by
    link = settings.PUBLIC_URL.rstrip("/") + reverse("people:invitation-accept", args=[token])
    context = {
        "inviter_name": inviter.name if inviter else "",
        "organisation_name": invitation.organisation.name,
        "team_name": invitation.team.name if invitation.team_id else "",
        "is_guest": invitation.role == InvitationRole.GUEST,
        "note": quote_note(message),
        "link": link,
        "expires": invitation.expires_at,
    }
    with translation.override(language):
        subject = loader.render_to_string("people/invitation_email_subject.txt", context)
        body = loader.render_to_string("people/invitation_email.txt", context)
    EmailMessage(
        # One line: a header cannot hold a line break.
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
        reply_to=[inviter.email] if inviter and inviter.email else None,
        headers={"Content-Language": language},
    ).send()
