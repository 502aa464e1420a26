from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_base_data(sender, using="default", **kwargs):
    """Give an installation its default organisation and every organisation its
    "Durf te vragen" space.

    Run after every ``migrate`` and after every test flush (``flush`` emits
    ``post_migrate``), so a fresh system and a flushed test database are both
    usable at once. Idempotent.
    """
    from brug.people.models import Organisation
    from brug.spaces.actions import ensure_questions_space

    if not Organisation.objects.using(using).filter(is_default=True).exists():
        Organisation.objects.using(using).create(name="Brug", slug="brug", is_default=True)
    for organisation in Organisation.objects.using(using).all():
        ensure_questions_space(organisation=organisation)


class CoreConfig(AppConfig):
    name = "brug.core"
    label = "core"

    def ready(self):
        post_migrate.connect(ensure_base_data, sender=self, dispatch_uid="brug-base-data")
