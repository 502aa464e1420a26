from django.db import migrations


def create_default_organisation(apps, schema_editor):
    Organisation = apps.get_model("people", "Organisation")
    if not Organisation.objects.filter(is_default=True).exists():
        Organisation.objects.create(name="Brug", slug="brug", is_default=True)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(create_default_organisation, migrations.RunPython.noop)]
