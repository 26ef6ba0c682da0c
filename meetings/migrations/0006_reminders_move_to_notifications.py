from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_meeting_duration_validated_by_its_range"),
    ]

    # The reminders and the preferences moved to the notifications app with their
    # tables (notifications/migrations/0001_initial.py): state only, no row touched.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="reminderpreference", name="user"),
                migrations.DeleteModel(name="Reminder"),
                migrations.DeleteModel(name="ReminderPreference"),
            ],
            database_operations=[],
        ),
    ]
