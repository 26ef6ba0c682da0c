from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("charter", "0003_vote_cast_in_one_statement")]

    operations = [
        migrations.AddField(
            model_name="charterpoint",
            name="lineage",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="charter",
            name="public_questions",
            field=models.BooleanField(
                default=False, verbose_name="show our coaching questions on the public page"
            ),
        ),
        migrations.AddField(
            model_name="workshopkeyword",
            name="position",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
