from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("charter", "0006_point_lineage_required"),
        ("improvement", "0005_forget_earlier_checkin_indicator_values"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="lineage",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
