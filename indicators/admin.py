from django.contrib import admin

from .models import (
    ApiToken,
    Indicator,
    IndicatorTarget,
    Measurement,
    ReviewNote,
    Survey,
    WallLink,
)


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "status", "unit", "direction", "frequency", "source"]
    list_filter = ["status", "source"]
    search_fields = ["name"]
    raw_id_fields = ["team", "owner", "client_group", "proposed_by"]
    inlines = [TargetInline]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period_start", "value", "source"]
    raw_id_fields = ["indicator", "entered_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["token_hash", "prefix"]
    raw_id_fields = ["team", "created_by"]


admin.site.register(ReviewNote)
admin.site.register(Survey)
admin.site.register(WallLink)
