from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("improvement", "0007_checkin_lineage_from_points")]

    operations = [
        migrations.AlterField(
            model_name="checkin",
            name="lineage",
            field=models.UUIDField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.UniqueConstraint(
                fields=("user", "lineage", "week"), name="one_checkin_per_lineage_and_week"
            ),
        ),
    ]
