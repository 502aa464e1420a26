"""``brug admin create EMAIL [--password P] [--name N]``: create an admin, non-interactively."""

import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from brug.core.exceptions import Conflict


def create_admin(*, email: str, password: str | None, name: str = ""):
    """Create an admin in the default organisation; return (person, password).

    This is how an installation gets its first admin, so there is no admin to
    act as ``by`` for ``people.actions.create_person``: it uses the same
    validation and insert (``_new_person``) without the permission check.
    """
    from brug.people.actions import _new_person
    from brug.people.enums import Role
    from brug.people.models import Organisation

    password = password or secrets.token_urlsafe(12)
    with transaction.atomic():
        person = _new_person(
            email=email,
            name=name or email.split("@")[0].replace(".", " ").title(),
            role=Role.ADMIN,
            organisation=Organisation.objects.get(is_default=True),
            team=None,
            password=password,
        )
    return person, password


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Create an admin: brug admin create EMAIL [--password P] [--name N]."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"])
        parser.add_argument("email")
        parser.add_argument("--password", help="Without it, a password is generated and printed.")
        parser.add_argument("--name", default="", help="Display name (default: from the address).")

    def handle(self, *, action, email, password, name, **options):
        try:
            with translation.override("en"):
                person, password_used = create_admin(email=email, password=password, name=name)
        except Conflict as error:
            with translation.override("en"):
                raise CommandError(f"{email}: {error}") from None
        except ValidationError as error:
            with translation.override("en"):
                raise CommandError(_messages(error)) from None
        self.stdout.write(f"Admin created: {person.email} (@{person.handle})")
        if not password:
            self.stdout.write(f"Password: {password_used}")
