"""Gives the points already published their lineage: version by version, a point with
the keyword of a point of the previous version, or else a rewording of one (half its
words or more in common), carries that point's lineage on; any other point starts one.

The rule of charter/lineage.py as it stood when this migration was written.
"""

import re
import unicodedata
import uuid

from django.db import migrations

REWORDED = 0.6


def _normalise(text):
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def _similarity(a, b):
    words_a = set(re.findall(r"\w+", _normalise(a)))
    words_b = set(re.findall(r"\w+", _normalise(b)))
    if not words_a or not words_b:
        return 0.0
    return 2 * len(words_a & words_b) / (len(words_a) + len(words_b))


def _carry(previous, points):
    free = {p.pk: p for p in previous}
    by_keyword = {_normalise(p.keyword): p for p in previous}
    for point in points:
        match = by_keyword.get(_normalise(point.keyword))
        if match is not None and match.pk in free:
            point.lineage = free.pop(match.pk).lineage
    pairs = sorted(
        (
            (_similarity(point.statement, old.statement), point.pk, old.pk)
            for point in points
            if point.lineage is None
            for old in free.values()
        ),
        reverse=True,
    )
    by_pk = {point.pk: point for point in points}
    for score, pk, old_pk in pairs:
        if score < REWORDED:
            break
        if by_pk[pk].lineage is None and old_pk in free:
            by_pk[pk].lineage = free.pop(old_pk).lineage
    for point in points:
        if point.lineage is None:
            point.lineage = uuid.uuid4()


def forward(apps, schema_editor):
    CharterVersion = apps.get_model("charter", "CharterVersion")
    CharterPoint = apps.get_model("charter", "CharterPoint")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # published points are immutable (0002), except for this one fill
        schema_editor.execute(
            "ALTER TABLE charter_charterpoint DISABLE TRIGGER charter_point_immutable"
        )
    previous_by_charter = {}
    for version in CharterVersion.objects.order_by("charter_id", "number"):
        points = list(CharterPoint.objects.filter(version=version).order_by("position"))
        _carry(previous_by_charter.get(version.charter_id, []), points)
        CharterPoint.objects.bulk_update(points, ["lineage"])
        previous_by_charter[version.charter_id] = points
    if postgres:
        schema_editor.execute(
            "ALTER TABLE charter_charterpoint ENABLE TRIGGER charter_point_immutable"
        )


class Migration(migrations.Migration):
    dependencies = [("charter", "0004_point_lineage_public_questions_point_order")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
