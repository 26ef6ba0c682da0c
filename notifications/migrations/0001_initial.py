import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    """The admin's history and permissions of the two models follow them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("reminder", "reminderpreference"):
        if not ContentType.objects.filter(app_label="notifications", model=model).exists():
            ContentType.objects.filter(app_label="meetings", model=model).update(
                app_label="notifications"
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('meetings', '0006_reminders_move_to_notifications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # The reminders and the preferences came from the meetings app with their tables
    # (meetings_reminder, meetings_reminderpreference) and rows: state only.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('meeting', 'Meeting reminders'), ('meeting_update', 'Meeting invitations and changes'), ('minutes', 'Meeting minutes'), ('measurement_due', 'Measurement due'), ('measurement_overdue', 'Measurement overdue'), ('checkin', 'Weekly check-ins'), ('gap_summary', 'Gap-analysis meeting summaries')], max_length=24)),
                        ('subject', models.CharField(max_length=120)),
                        ('offset_minutes', models.IntegerField(default=0)),
                        ('due_at', models.DateTimeField()),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Sending'), ('sent', 'Sent'), ('cancelled', 'Cancelled'), ('skipped', 'Turned off'), ('failed', 'Failed')], default='pending', max_length=16)),
                        ('dispatched_at', models.DateTimeField(blank=True, null=True)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('claim', models.UUIDField(blank=True, null=True)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='meetings.steeringmeeting')),
                        ('occurrence', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='meetings.occurrence')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'meetings_reminder',
                        'ordering': ['due_at', 'pk'],
                        'indexes': [models.Index(condition=models.Q(('status', 'pending')), fields=['due_at'], name='reminder_pending_due_idx'), models.Index(condition=models.Q(('status', 'sending')), fields=['claimed_at'], name='reminder_sending_claimed_idx'), models.Index(fields=['user', 'status', 'due_at'], name='reminder_user_idx')],
                        'constraints': [models.UniqueConstraint(fields=('subject', 'user', 'kind', 'offset_minutes'), name='one_reminder_per_subject_person_kind_offset'), models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'sending', 'sent', 'cancelled', 'skipped', 'failed'])), name='reminder_status_valid'), models.CheckConstraint(condition=models.Q(models.Q(('claim__isnull', False), ('claimed_at__isnull', False), ('status', 'sending')), models.Q(('status', 'sending'), _negated=True), _connector='OR'), name='reminder_sending_is_claimed')],
                    },
                ),
                migrations.CreateModel(
                    name='ReminderPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('meeting', 'Meeting reminders'), ('meeting_update', 'Meeting invitations and changes'), ('minutes', 'Meeting minutes'), ('measurement_due', 'Measurement due'), ('measurement_overdue', 'Measurement overdue'), ('checkin', 'Weekly check-ins'), ('gap_summary', 'Gap-analysis meeting summaries')], max_length=24)),
                        ('enabled', models.BooleanField(default=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_preferences', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'meetings_reminderpreference',
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='one_preference_per_kind')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, migrations.RunPython.noop),
    ]
