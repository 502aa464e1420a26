"""``brug token create EMAIL [--name N]``: print a new personal API token (shown once)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a personal API token: brug token create EMAIL [--name N]. It is shown once."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"])
        parser.add_argument("email")
        parser.add_argument(
            "--name", default="", help="What the token is for (max. 100 characters)."
        )

    def handle(self, *, action, email, name, **options):
        from brug.people.models import User
        from brug.people.tokens import create_token

        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist:
            raise CommandError(f"No person with the e-mail address {email}.") from None
        if not user.is_active:
            raise CommandError(f"{email} is deactivated; a token would not work.")
        token = create_token(user=user, name=name or "brug token create")
        # Only the token on stdout, so scripts can capture it; the rest on stderr.
        self.stderr.write(f"Token for {user.email} (store it now, it is not shown again):")
        self.stdout.write(token)
