from django.contrib import admin

from .models import ChangeIdea, GapAnswer, GapMeeting, PhaseChange


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    extra = 0
    readonly_fields = ["from_phase", "to_phase", "by", "at", "note"]


@admin.register(ChangeIdea)
class ChangeIdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "owner", "phase", "moved_at"]
    list_filter = ["phase", "focus_area"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "created_by", "gap_meeting", "source_answer"]
    inlines = [PhaseChangeInline]


class GapAnswerInline(admin.TabularInline):
    model = GapAnswer
    extra = 0
    raw_id_fields = ["author"]


@admin.register(GapMeeting)
class GapMeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "team", "step", "created_at"]
    raw_id_fields = ["facilitator"]
    inlines = [GapAnswerInline]
