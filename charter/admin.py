from django.contrib import admin

from .models import (
    Charter,
    CharterPoint,
    CharterVersion,
    Endorsement,
    Keyword,
    Observation,
    Workshop,
    WorkshopKeyword,
)


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ["label", "team", "normalised"]
    list_filter = ["team"]
    search_fields = ["label", "normalised"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["reaction", "team", "observed_on", "hide_author"]
    list_filter = ["team", "observed_on"]
    raw_id_fields = ["author", "keywords", "client_group"]


class WorkshopKeywordInline(admin.TabularInline):
    model = WorkshopKeyword
    fields = ["keyword", "proposals", "selected", "merged_into", "statement"]
    raw_id_fields = ["keyword", "merged_into"]
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "step", "created_at", "published_at"]
    list_filter = ["team", "step"]
    raw_id_fields = ["facilitator"]
    inlines = [WorkshopKeywordInline]


class CharterPointInline(admin.TabularInline):
    model = CharterPoint
    extra = 0

    # A published version is immutable: the admin shows it without letting anyone edit it.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ["charter", "number", "published_at", "published_by"]
    readonly_fields = ["charter", "number", "published_at", "published_by", "workshop"]
    inlines = [CharterPointInline]


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["team", "created_at"]
    readonly_fields = ["share_token"]


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["version", "user", "created_at"]
    raw_id_fields = ["user", "version"]
