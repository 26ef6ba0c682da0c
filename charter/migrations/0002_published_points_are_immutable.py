"""A published charter point never changes: PostgreSQL refuses any UPDATE of one.

Publishing again creates a new version with new points. (SQLite, used in development,
has no such guard.)
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION charter_point_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a published charter point cannot be changed; publish a new version'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER charter_point_immutable BEFORE UPDATE ON charter_charterpoint
    FOR EACH ROW EXECUTE FUNCTION charter_point_immutable();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS charter_point_immutable ON charter_charterpoint;
DROP FUNCTION IF EXISTS charter_point_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("charter", "0001_workshops_votes_charters")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
