from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Mostly for looking: a reminder's state is changed by the dispatcher and the send
    task, never by hand."""

    list_display = ["kind", "subject", "user", "email", "due_at", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "user__email", "email"]
    date_hierarchy = "due_at"
    raw_id_fields = ["user", "occurrence", "meeting"]
    readonly_fields = ["claim", "claimed_at", "dispatched_at", "sent_at", "attempts"]
