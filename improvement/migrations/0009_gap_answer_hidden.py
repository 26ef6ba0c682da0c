from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("improvement", "0008_one_checkin_per_lineage_and_week")]

    operations = [
        migrations.AddField(
            model_name="gapanswer",
            name="hidden",
            field=models.BooleanField(default=False),
        ),
    ]
