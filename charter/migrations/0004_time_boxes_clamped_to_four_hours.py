"""The workshop form always kept time boxes within 0-240 minutes, but the admin did not:
bring any longer one to 240 so that the constraint of the next migration can be added."""

from django.db import migrations

STEPS = ("observe", "propose", "vote", "select", "draft")


def clamp(apps, schema_editor):
    Workshop = apps.get_model("charter", "Workshop")
    for step in STEPS:
        field = f"{step}_minutes"
        Workshop.objects.filter(**{f"{field}__gt": 240}).update(**{field: 240})


class Migration(migrations.Migration):
    dependencies = [("charter", "0003_vote_cast_in_one_statement")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
