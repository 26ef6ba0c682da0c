from django.contrib import admin

from .models import CoachingMoment, Situation, SituationResponse

# One-to-ones, objectives and modelling feedback are private to the people concerned:
# they are left out of the admin on purpose.


class SituationResponseInline(admin.TabularInline):
    model = SituationResponse
    extra = 0


@admin.register(Situation)
class SituationAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "retired_at"]
    inlines = [SituationResponseInline]


@admin.register(CoachingMoment)
class CoachingMomentAdmin(admin.ModelAdmin):
    list_display = ["coach", "team", "minutes", "on"]
    list_filter = ["on"]
