"""charter_vote_cast() from its one source, charter/voting.py (the same rules as 0003,
which now installs that text too: this one brings databases migrated before up to it).

VOTE_CAST_SHA256 is the hash of the text this migration was written for:
tests/charter/test_voting_parity.py finds a migration with the hash of the text
voting.py holds now, so a changed function always comes with a migration that
installs it on databases already migrated.
"""

from django.db import migrations

from charter import voting

VOTE_CAST_SHA256 = "fb1b04974af90143e95d4d9efbd88acbfd4319987a824a5166fbc4580d8f1339"


def install(apps, schema_editor):
    voting.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("charter", "0007_merge_lineage_and_ranges")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop, elidable=False)]
