"""The reminders moved from meetings to notifications with their tables: the rows and the
preferences written before the move are there after it, unchanged."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("meetings", "0005_meeting_duration_validated_by_its_range"), ("notifications", None)]


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_kept(member):
    from django.utils import timezone

    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        executor.loader.build_graph()
        old = executor.loader.project_state([BEFORE[0]]).apps
        OldReminder = old.get_model("meetings", "Reminder")
        OldPreference = old.get_model("meetings", "ReminderPreference")
        OldReminder.objects.create(
            user_id=member.pk, kind="checkin", subject="checkin:1:2026-W50", due_at=timezone.now()
        )
        OldPreference.objects.create(user_id=member.pk, kind="minutes", enabled=False)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    from notifications.models import Reminder, ReminderPreference

    [row] = Reminder.objects.all()
    assert (row.user_id, row.kind, row.subject, row.status, row.email) == (
        member.pk,
        "checkin",
        "checkin:1:2026-W50",
        "pending",
        "",
    )
    assert ReminderPreference.objects.get(user=member).enabled is False
