"""Writes on people, profiles, organisations, teams and invitations.

Every action checks permissions inside (``brug.permissions.people``), validates
everything before it writes, and writes in one transaction: bad input raises
``ValidationError`` (a dict of field -> messages where a field is to blame) and
leaves nothing half-written. A clash with existing data (an e-mail address
that is taken) raises ``brug.core.exceptions.Conflict``.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from brug.core.exceptions import Conflict, RateLimited
from brug.people.emails import send_invitation
from brug.people.enums import (
    SPOKEN_LANGUAGES,
    Highlight,
    InvitationRole,
    Role,
    TeamKind,
    WorkingDay,
)
from brug.people.handles import unique_handle, validate_handle
from brug.people.models import Expertise, Invitation, Organisation, Team, User
from brug.permissions import Viewer, as_viewer
from brug.permissions.people import (
    can_set_highlight,
    check_can_edit_profile,
    check_can_invite_people,
    check_can_manage_people,
)

INVITATION_DAYS = 14
INVITATION_NOTE_LIMIT = 1000
# Abuse bound (SECURITY.md promise 7): invitations one person may make per hour.
INVITATIONS_PER_HOUR = 100
MAX_EXPERTISE = 30
PHOTO_SIDE = 512
UI_LANGUAGES = ("nl", "en")

logger = logging.getLogger("brug.people")

PROFILE_FIELDS = frozenset(
    {
        "name",
        "handle",
        "function",
        "location",
        "bio",
        "languages",
        "working_days",
        "ask_me_about",
        "expertise",
        "team",
        "highlight",
        "language",
        "onboarded",
    }
)
_TEXT_LIMITS = {"function": 120, "location": 120, "bio": 4000, "ask_me_about": 300}


def _schedule_index(person: User) -> None:
    from brug.search.indexing import schedule_index

    schedule_index(kind="person", pk=person.pk)


def _follow_team(person: User, old_team_id: int | None) -> None:
    """Team spaces follow the person's team (inside the caller's transaction)."""
    from brug.spaces.actions import follow_team

    if person.team_id != old_team_id:
        follow_team(person=person, old_team_id=old_team_id)


def after_admin_change(*, person: User, old_team_id: int | None, was_active: bool) -> None:
    """What a change saved in the Django admin sets off, as the actions would.

    The search index, the team spaces of a new team, and the member counts
    of the person's spaces when they were deactivated or came back.
    """
    from brug.spaces.actions import recount_members

    with transaction.atomic():
        _follow_team(person, old_team_id)
        if person.is_active != was_active:
            recount_members(person=person)
        _schedule_index(person)


def set_active(*, by: User | Viewer, person: User, active: bool) -> User:
    """Deactivate a person, or let them back in (admins).

    A deactivated person cannot sign in, their sessions and API tokens stop
    working at their next request, they leave search, pickers and member
    counts, and nobody can mention or notify them. Their memberships and
    what they wrote stay, so reactivating restores them as they were.
    """
    from brug.spaces.actions import recount_members

    viewer = as_viewer(by)
    check_can_manage_people(viewer)
    if person.pk == viewer.id and not active:
        raise ValidationError(_("You cannot deactivate yourself."))
    with transaction.atomic():
        changed = (
            User.objects.filter(pk=person.pk).exclude(is_active=active).update(is_active=active)
        )
        person.is_active = active
        if changed:
            recount_members(person=person)
            _schedule_index(person)
    return person


# People ---------------------------------------------------------------------


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if len(email) > 254:
        raise ValidationError({"email": _("Enter a valid e-mail address.")})
    return email


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    if len(name) > 150:
        raise ValidationError({"name": _("A name has at most 150 characters.")})
    return name


def _check_email_free(email: str) -> None:
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("A person with this e-mail address already exists."))


def _new_person(
    *,
    email: str,
    name: str,
    role: str,
    organisation: Organisation,
    team: Team | None,
    password: str | None,
) -> User:
    """Validate and insert one person (callers check permissions and hold a transaction)."""
    email = _clean_email(email)
    name = _clean_name(name)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": _("The team belongs to another organisation.")})
    person = User(
        email=email,
        name=name,
        role=role,
        organisation=organisation,
        team=team,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        try:
            validate_password(password, user=person)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        person.set_password(password)
    else:
        person.set_unusable_password()
    _check_email_free(email)
    person.handle = unique_handle(name)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Someone took the address (or the handle) between our check and the insert.
        raise Conflict(_("A person with this e-mail address already exists.")) from None
    _follow_team(person, None)
    _schedule_index(person)
    return person


def create_person(
    *,
    by: User | Viewer,
    email: str,
    name: str,
    role: str = Role.MEMBER,
    organisation: Organisation | None = None,
    team: Team | None = None,
    password: str | None = None,
) -> User:
    """Create a person (admins only) in an organisation, by default the team's or the default one.

    Without a password the person cannot sign in until they reset it. Raises
    ``Conflict`` when the e-mail address is taken.
    """
    check_can_manage_people(by)
    if organisation is None:
        organisation = (
            team.organisation if team is not None else Organisation.objects.get(is_default=True)
        )
    with transaction.atomic():
        return _new_person(
            email=email,
            name=name,
            role=role,
            organisation=organisation,
            team=team,
            password=password,
        )


def _clean_choices(values: Any, allowed: Iterable[str], field: str, message: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [v for v in values.replace(",", " ").split() if v]
    if not isinstance(values, list | tuple | set):
        raise ValidationError({field: message})
    allowed = list(allowed)
    cleaned = []
    for value in values:
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            raise ValidationError({field: message})
        value = value.strip().lower()
        if value not in cleaned:
            cleaned.append(value)
    # Keep the fixed order of the list (Monday first, Dutch first), not the input's.
    return sorted(cleaned, key=allowed.index)


def normalise_expertise(values: Any) -> list[tuple[str, str]]:
    """Return ``(slug, name)`` pairs for expertise input (a list, or text split on commas).

    Whitespace is collapsed, duplicates (by slug) dropped, at most 30 kept.
    """
    if values is None:
        return []
    if isinstance(values, str):
        values = values.split(",")
    if not isinstance(values, list | tuple | set):
        raise ValidationError({"expertise": _("Give expertise as a list of words.")})
    pairs: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str):
            raise ValidationError({"expertise": _("Give expertise as a list of words.")})
        name = " ".join(value.split()).lstrip("#")
        if not name:
            continue
        if len(name) > 60:
            raise ValidationError(
                {"expertise": _("Each area of expertise has at most 60 characters.")}
            )
        slug = slugify(name)[:80]
        if not slug:
            raise ValidationError(
                {"expertise": _("“%(name)s” needs at least one letter or digit.") % {"name": name}}
            )
        pairs.setdefault(slug, name)
    if len(pairs) > MAX_EXPERTISE:
        raise ValidationError(
            {"expertise": _("Name at most %(n)d areas of expertise.") % {"n": MAX_EXPERTISE}}
        )
    return list(pairs.items())


def _expertise_rows(pairs: list[tuple[str, str]]) -> list[Expertise]:
    """Return the Expertise rows for ``(slug, name)`` pairs, creating the missing ones."""
    existing = {e.slug: e for e in Expertise.objects.filter(slug__in=[s for s, _ in pairs])}
    rows = []
    for slug, name in pairs:
        row = existing.get(slug)
        if row is None:
            row, _created = Expertise.objects.get_or_create(slug=slug, defaults={"name": name})
        rows.append(row)
    return rows


def _clean_team(value: Any, person: User) -> Team | None:
    if value in (None, ""):
        return None
    if isinstance(value, Team):
        team = value
    else:
        try:
            team = Team.objects.get(pk=int(value))
        except (TypeError, ValueError, Team.DoesNotExist):
            raise ValidationError({"team": _("Choose a team from the list.")}) from None
    if team.organisation_id != person.organisation_id:
        raise ValidationError({"team": _("Choose a team of your own organisation.")})
    return team


def _clean_profile(
    *, person: User, by: User | Viewer, fields: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
    """Validate profile fields; return the column changes and the expertise pairs (or None).

    Raises one ``ValidationError`` with every field's messages.
    """
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValidationError({name: _("This is not a profile field.") for name in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    expertise: list[tuple[str, str]] | None = None

    def attempt(field: str, clean) -> None:
        try:
            changes[field] = clean()
        except ValidationError as error:
            messages = error.message_dict.get(field) if hasattr(error, "error_dict") else None
            errors.setdefault(field, []).extend(messages or error.messages)

    if "name" in fields:
        attempt("name", lambda: _clean_name(fields["name"]))
    if "handle" in fields:
        attempt("handle", lambda: validate_handle(fields["handle"] or "", person_pk=person.pk))
    for field, limit in _TEXT_LIMITS.items():
        if field not in fields:
            continue
        value = fields[field]
        if value is not None and not isinstance(value, str):
            errors.setdefault(field, []).append(_("Enter text."))
            continue
        value = (value or "").strip()
        if len(value) > limit:
            errors.setdefault(field, []).append(
                _("At most %(n)d characters (now %(len)d).") % {"n": limit, "len": len(value)}
            )
        changes[field] = value
    if "languages" in fields:
        attempt(
            "languages",
            lambda: _clean_choices(
                fields["languages"],
                SPOKEN_LANGUAGES,
                "languages",
                _("Choose languages from the list."),
            ),
        )
    if "working_days" in fields:
        attempt(
            "working_days",
            lambda: _clean_choices(
                fields["working_days"],
                WorkingDay.values,
                "working_days",
                _("Choose days from Monday to Sunday."),
            ),
        )
    if "team" in fields:
        attempt("team", lambda: _clean_team(fields["team"], person))
    if "highlight" in fields:
        value = fields["highlight"] or ""
        if value != person.highlight and not can_set_highlight(by):
            raise PermissionDenied(_("Only community managers mark leaders and ambassadors."))
        if value not in Highlight.values:
            errors.setdefault("highlight", []).append(_("Unknown choice."))
        changes["highlight"] = value
    if "language" in fields:
        value = fields["language"] or ""
        if value not in ("", *UI_LANGUAGES):
            errors.setdefault("language", []).append(_("Choose Dutch or English."))
        changes["language"] = value
    if "expertise" in fields:
        try:
            expertise = normalise_expertise(fields["expertise"])
        except ValidationError as error:
            errors.setdefault("expertise", []).extend(error.message_dict["expertise"])
    if fields.get("onboarded") and person.onboarded_at is None:
        changes["onboarded_at"] = timezone.now()
    if errors:
        raise ValidationError(errors)
    return changes, expertise


def _apply_profile(
    *, person: User, changes: dict[str, Any], expertise: list[tuple[str, str]] | None
) -> None:
    """Write validated profile changes (inside the caller's transaction)."""
    old_team_id = person.team_id
    for field, value in changes.items():
        setattr(person, field, value)
    if changes:
        try:
            with transaction.atomic():
                person.save(update_fields=list(changes))
        except IntegrityError:
            # Two people chose the same handle at the same moment.
            raise ValidationError({"handle": _("This handle is taken.")}) from None
    _follow_team(person, old_team_id)
    if expertise is not None:
        person.expertise.set(_expertise_rows(expertise))
        # Whoever shows this person next sees the new tags, not a stale prefetch.
        getattr(person, "_prefetched_objects_cache", {}).pop("expertise", None)
    _schedule_index(person)


def update_profile(*, person: User, by: User | Viewer, **fields: Any) -> User:
    """Change profile fields of ``person`` (themselves, or an admin).

    Accepted fields: name, handle, function, location, bio, languages (ISO
    codes of ``SPOKEN_LANGUAGES``), working_days (``WorkingDay`` codes),
    ask_me_about, expertise (names; tags are created and normalised by slug),
    team (a Team or id of the person's organisation), highlight (community
    managers and admins only), language (the interface language, nl or en)
    and onboarded (True: the first-run page is done). Fields not given are
    left alone. All fields are validated before anything is written; errors
    come back together, per field.
    """
    check_can_edit_profile(by, person)
    changes, expertise = _clean_profile(person=person, by=by, fields=fields)
    with transaction.atomic():
        _apply_profile(person=person, changes=changes, expertise=expertise)
    return person


def _process_photo(upload):
    from brug.core.images import process_image

    if upload is None:
        raise ValidationError({"photo": _("Choose a photo.")})
    try:
        return process_image(upload, max_side=PHOTO_SIDE, square=True)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None


def _store_photo(*, person: User, image) -> None:
    """Save a processed photo and point the person at it (inside the caller's transaction).

    The old file is deleted when the transaction commits; should the
    transaction fail here, the new file is deleted at once.
    """
    old_name = person.photo.name if person.photo else ""
    name = default_storage.save(
        f"photos/{person.pk}-{secrets.token_hex(8)}.{image.extension}", ContentFile(image.content)
    )
    try:
        with transaction.atomic():
            person.photo.name = name
            person.save(update_fields=["photo"])
    except Exception:
        default_storage.delete(name)
        person.photo.name = old_name
        raise
    if old_name:
        transaction.on_commit(lambda: default_storage.delete(old_name))
    _schedule_index(person)


def set_photo(*, person: User, by: User | Viewer, upload) -> User:
    """Replace the person's photo with a re-encoded, square copy of ``upload``.

    The image is recognised by its content, refused above the upload size or
    pixel limit, cropped square, scaled to at most 512 px and re-encoded
    (EXIF and GPS data dropped). The old file is removed once the change commits.
    """
    check_can_edit_profile(by, person)
    image = _process_photo(upload)
    with transaction.atomic():
        _store_photo(person=person, image=image)
    return person


def remove_photo(*, person: User, by: User | Viewer) -> User:
    """Remove the person's photo (the initials avatar shows again)."""
    check_can_edit_profile(by, person)
    old_name = person.photo.name if person.photo else ""
    if not old_name:
        return person
    with transaction.atomic():
        person.photo.name = ""
        person.save(update_fields=["photo"])
        transaction.on_commit(lambda: default_storage.delete(old_name))
        _schedule_index(person)
    return person


def save_profile(
    *,
    person: User,
    by: User | Viewer,
    photo=None,
    remove_current_photo: bool = False,
    **fields: Any,
) -> User:
    """Save a profile form: fields as ``update_profile``, plus a new photo or its removal.

    Everything is validated first (field and photo errors come back
    together), then written in one transaction: a bad photo leaves the
    fields unchanged, and the other way round.
    """
    check_can_edit_profile(by, person)
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    expertise = None
    image = None
    try:
        changes, expertise = _clean_profile(person=person, by=by, fields=fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    if photo is not None:
        try:
            image = _process_photo(photo)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _apply_profile(person=person, changes=changes, expertise=expertise)
        if image is not None:
            _store_photo(person=person, image=image)
        elif remove_current_photo and person.photo:
            old_name = person.photo.name
            person.photo.name = ""
            person.save(update_fields=["photo"])
            transaction.on_commit(lambda: default_storage.delete(old_name))
    return person


# Organisations and teams -------------------------------------------------------


def _unique_org_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_org_name(name: str, *, exclude_pk: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise ValidationError(
            {"name": _("An organisation needs a name of at most 200 characters.")}
        )
    if Organisation.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("An organisation with this name exists already.")})
    return name


def create_organisation(*, by: User | Viewer, name: str) -> Organisation:
    """Create an organisation (admins only) with its "Durf te vragen" questions space."""
    from brug.spaces.actions import ensure_questions_space

    check_can_manage_people(by)
    name = _clean_org_name(name)
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, slug=_unique_org_slug(name))
        ensure_questions_space(organisation=organisation)
    return organisation


def update_organisation(
    *, by: User | Viewer, organisation: Organisation, name: str
) -> Organisation:
    """Rename an organisation (admins only); its slug follows the new name."""
    check_can_manage_people(by)
    name = _clean_org_name(name, exclude_pk=organisation.pk)
    with transaction.atomic():
        organisation.name = name
        organisation.slug = _unique_org_slug(name, exclude_pk=organisation.pk)
        organisation.save(update_fields=["name", "slug"])
    return organisation


def create_team(
    *,
    by: User | Viewer,
    organisation: Organisation,
    name: str,
    parent: Team | None = None,
    kind: str | None = None,
) -> Team:
    """Create a team (admins only), under ``parent`` when given (organisation > department > team)."""
    check_can_manage_people(by)
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise ValidationError({"name": _("A team needs a name of at most 200 characters.")})
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError({"parent": _("The parent team belongs to another organisation.")})
    kind = kind or (TeamKind.TEAM if parent is not None else TeamKind.DEPARTMENT)
    if kind not in TeamKind.values:
        raise ValidationError({"kind": _("Unknown kind of team.")})
    # The unique constraint does not hold for NULL parents on every database.
    if Team.objects.filter(organisation=organisation, parent=parent, name__iexact=name).exists():
        raise ValidationError({"name": _("A team with this name exists here already.")})
    with transaction.atomic():
        return Team.objects.create(organisation=organisation, parent=parent, name=name, kind=kind)


# Invitations -----------------------------------------------------------------


def digest_invitation_token(token: str) -> str:
    """Return the SHA-256 hex digest under which an invitation token is stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _invitation_language(language: str | None) -> str:
    """Return the language of an invitation mail: the one asked for, else the active one."""
    if language is None:
        for candidate in (translation.get_language(), settings.LANGUAGE_CODE):
            primary = (candidate or "").split("-")[0].lower()
            if primary in UI_LANGUAGES:
                return primary
        return UI_LANGUAGES[0]
    if language not in UI_LANGUAGES:
        raise ValidationError({"language": _("Write the e-mail in Dutch (nl) or English (en).")})
    return language


def _invitation_note(message: str) -> str:
    message = "\n".join((message or "").strip().splitlines())
    if "\x00" in message:
        raise ValidationError(
            {"message": _("The personal note contains a character Brug refuses.")}
        )
    if len(message) > INVITATION_NOTE_LIMIT:
        raise ValidationError(
            {
                "message": _("A personal note has at most %(limit)d characters.")
                % {"limit": INVITATION_NOTE_LIMIT}
            }
        )
    return message


def create_invitation(
    *,
    by: User | Viewer,
    organisation: Organisation,
    email: str | None = None,
    role: str = InvitationRole.MEMBER,
    team: Team | None = None,
    days: int = INVITATION_DAYS,
    send_email: bool = True,
    language: str | None = None,
    message: str = "",
) -> Invitation:
    """Make a single-use invitation link into one organisation, and mail it to ``email``.

    Admins invite into any organisation, community managers into their own.
    The returned invitation carries the secret in ``invitation.token`` (not
    stored: only its digest is); show the link once. With ``email`` only that
    address may use it.

    With ``email`` and ``send_email`` the link is mailed to that address in
    ``language`` (``nl`` or ``en``; default the active language), with the
    inviter's personal ``message`` (at most 1000 characters). The mail goes
    out in-process once the invitation has committed (the token may not sit
    in a job row), so this action must not run inside another transaction.
    A mail that fails is logged and does not undo the invitation: the link
    is still shown. ``invitation.emailed`` says whether it went out;
    ``emailed_at`` records when.
    """
    viewer = as_viewer(by)
    check_can_invite_people(viewer, organisation.pk)
    if role not in InvitationRole.values:
        raise ValidationError({"role": _("An invitation is for a member or a guest.")})
    if email:
        email = _clean_email(email)
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": _("This person has an account already.")})
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": _("The team belongs to another organisation.")})
    if not 1 <= days <= 90:
        raise ValidationError({"days": _("An invitation is valid for 1 to 90 days.")})
    language = _invitation_language(language)
    message = _invitation_note(message)
    since = timezone.now() - timedelta(hours=1)
    if (
        Invitation.objects.filter(created_by_id=viewer.id, created_at__gte=since).count()
        >= INVITATIONS_PER_HOUR
    ):
        raise RateLimited(_("You made many invitations this hour; try again later."))
    token = secrets.token_urlsafe(32)
    # Durable: when the block ends the invitation has committed, so the mail
    # below never points to a link that a rollback took away.
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.create(
            organisation=organisation,
            team=team,
            email=email or "",
            role=role,
            digest=digest_invitation_token(token),
            created_by=viewer.user,
            expires_at=timezone.now() + timedelta(days=days),
        )
    invitation.token = token
    invitation.emailed = False
    if invitation.email and send_email:
        invitation.emailed = _mail_invitation(invitation, token, language, message)
    return invitation


def _mail_invitation(invitation: Invitation, token: str, language: str, message: str) -> bool:
    """Send the invitation mail and record it; a failure is logged, not raised."""
    try:
        send_invitation(invitation, token, language, message)
    except Exception:
        # The invitation exists and its link is shown to the inviter, who can
        # pass it on; a mail server that is down must not turn that into an error.
        logger.exception("Could not e-mail invitation %s", invitation.pk)
        return False
    invitation.emailed_at = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(emailed_at=invitation.emailed_at)
    return True


def revoke_invitation(*, by: User | Viewer, invitation: Invitation) -> Invitation:
    """End an unused invitation now (its link stops working)."""
    check_can_invite_people(by, invitation.organisation_id)
    if invitation.used_at is None:
        with transaction.atomic():
            invitation.expires_at = timezone.now()
            invitation.save(update_fields=["expires_at"])
    return invitation


def find_invitation(token: str) -> Invitation:
    """Return the usable invitation for ``token``.

    Raises ``ValidationError`` with code ``unknown``, ``used`` or ``expired``
    and a message that says so.
    """
    if not token or len(token) > 100:
        raise ValidationError(_("This invitation link is not valid."), code="unknown")
    invitation = (
        Invitation.objects.select_related("organisation", "team")
        .filter(digest=digest_invitation_token(token))
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="unknown")
    if invitation.used_at is not None:
        raise ValidationError(
            _("This invitation has been used already. Sign in, or ask for a new invitation."),
            code="used",
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("This invitation has expired. Ask the person who invited you for a new one."),
            code="expired",
        )
    return invitation


def accept_invitation(*, token: str, email: str, name: str, password: str) -> User:
    """Create the invited person in the invitation's organisation and use up the invitation.

    Single use even under concurrency: the invitation is claimed by a
    conditional update in the same transaction that creates the person, so of
    two simultaneous acceptances exactly one succeeds; if creating the person
    fails, the claim is rolled back and the link still works.
    """
    invitation = find_invitation(token)
    if invitation.email and (email or "").strip().lower() != invitation.email.lower():
        raise ValidationError({"email": _("This invitation is for another e-mail address.")})
    if not password:
        raise ValidationError({"password": _("Choose a password.")})
    with transaction.atomic():
        now = timezone.now()
        claimed = Invitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            find_invitation(token)  # raises "used" or "expired"
            raise ValidationError(_("This invitation link is not valid."), code="unknown")
        person = _new_person(
            email=email,
            name=name,
            role=invitation.role,
            organisation=invitation.organisation,
            team=invitation.team,
            password=password,
        )
        Invitation.objects.filter(pk=invitation.pk).update(used_by=person)
    return person
