import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("charter", "0005_lineage_of_published_points")]

    operations = [
        migrations.AlterField(
            model_name="charterpoint",
            name="lineage",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AddIndex(
            model_name="charterpoint",
            index=models.Index(fields=["lineage"], name="charter_point_lineage"),
        ),
        migrations.AddConstraint(
            model_name="charterpoint",
            constraint=models.UniqueConstraint(
                fields=("version", "lineage"), name="unique_point_lineage_per_version"
            ),
        ),
    ]
