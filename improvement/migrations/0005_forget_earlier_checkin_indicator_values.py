from datetime import date, timedelta

from django.db import migrations


def forget(apps, schema_editor):
    """Earlier values of the check-in indicators were kept as corrections, which told
    what the first people to answer a week had said: they go, as do the values of the
    week in progress (recorded after every answer)."""
    CheckinIndicator = apps.get_model("improvement", "CheckinIndicator")
    MeasurementRevision = apps.get_model("indicators", "MeasurementRevision")
    Measurement = apps.get_model("indicators", "Measurement")
    fed = CheckinIndicator.objects.values("indicator")
    MeasurementRevision.objects.filter(measurement__indicator__in=fed).delete()
    this_monday = date.today() - timedelta(days=date.today().weekday())
    Measurement.objects.filter(indicator__in=fed, period_start__gte=this_monday).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0004_checkin_reminders_through_meetings"),
        ("indicators", "0004_protect_survey_client_group"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
