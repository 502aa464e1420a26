from django.db import migrations
from django.utils import timezone


def create_questions_spaces(apps, schema_editor):
    """Give every organisation its "Durf te vragen" space (kind questions, open)."""
    Organisation = apps.get_model("people", "Organisation")
    Space = apps.get_model("spaces", "Space")
    for organisation in Organisation.objects.all():
        if Space.objects.filter(organisation=organisation, kind="questions").exists():
            continue
        Space.objects.create(
            organisation=organisation,
            name="Durf te vragen",
            slug=f"durf-te-vragen-{organisation.slug}",
            description=(
                "Stel elke vraag, ook anoniem. Geen vraag is te klein. / "
                "Ask anything, anonymously if you wish. No question is too small."
            ),
            visibility="open",
            kind="questions",
            join_policy="open",
            allow_anonymous=True,
            created_at=timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial"), ("people", "0002_default_organisation")]
    operations = [migrations.RunPython(create_questions_spaces, migrations.RunPython.noop)]
