"""Each check-in takes the lineage of the point it answered. Someone who answered the
same point twice in one week (once before a new charter version came out, once after)
keeps their latest answer only, as they would have from then on."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery


def forward(apps, schema_editor):
    Checkin = apps.get_model("improvement", "Checkin")
    CharterPoint = apps.get_model("charter", "CharterPoint")
    Checkin.objects.update(
        lineage=Subquery(CharterPoint.objects.filter(pk=OuterRef("point_id")).values("lineage"))
    )
    twice = (
        Checkin.objects.values("user_id", "lineage", "week")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in twice:
        rows = Checkin.objects.filter(
            user_id=row["user_id"], lineage=row["lineage"], week=row["week"]
        ).order_by("-answered_at", "-pk")
        Checkin.objects.filter(pk__in=[c.pk for c in rows[1:]]).delete()


class Migration(migrations.Migration):
    dependencies = [("improvement", "0006_checkin_lineage")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
