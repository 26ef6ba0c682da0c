from django.contrib import admin

from .models import AgendaItem, CalendarFeed, Occurrence, Reminder, SteeringMeeting


@admin.register(SteeringMeeting)
class SteeringMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "frequency", "start_time", "time_zone", "cancelled_at"]
    list_filter = ["frequency"]
    search_fields = ["title", "team__name"]
    raw_id_fields = ["team", "created_by", "participants"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "starts_at", "status", "sequence", "minutes_sent_at"]
    list_filter = ["status"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["meeting", "attendees"]
    inlines = [AgendaItemInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Mostly for looking: a reminder's state is changed by the dispatcher and the send
    task, never by hand."""

    list_display = ["kind", "subject", "user", "offset_minutes", "due_at", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "user__email"]
    date_hierarchy = "due_at"
    raw_id_fields = ["user", "occurrence", "meeting"]
    readonly_fields = ["claim", "claimed_at", "dispatched_at", "sent_at", "attempts"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["team", "user", "created_at"]
    raw_id_fields = ["team", "user"]
    readonly_fields = ["token"]
