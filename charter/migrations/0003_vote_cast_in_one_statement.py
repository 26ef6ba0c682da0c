"""A dot voted in one statement on PostgreSQL: charter_vote_cast().

charter.services.vote_cast runs it instead of its own transaction of BEGIN, four
statements and COMMIT, each a round trip that costs the web process more CPU than
PostgreSQL spends answering it. The function applies the same rules in the same order,
with the same locks, and returns what the ballot needs; services.py turns its outcome
into the voter's message. The unique and check constraints on charter_vote still have
the last word. (SQLite, used in development, runs the Python version of these rules.)

The function's text lives in charter/voting.py with the Python rules it mirrors.
"""

from django.db import migrations

from charter import voting

BACKWARD = """
DROP FUNCTION IF EXISTS charter_vote_cast(bigint, bigint, bigint, integer, timestamptz);
"""


def forward(apps, schema_editor):
    voting.install(schema_editor)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("charter", "0002_published_points_are_immutable")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
