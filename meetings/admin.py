from django.contrib import admin

from .models import AgendaItem, CalendarFeed, Occurrence, SteeringMeeting


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


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["team", "user", "created_at"]
    raw_id_fields = ["team", "user"]
    readonly_fields = ["token"]
