from django.contrib import admin

from .models import ClientGroup, Department, Invitation, Membership, Organisation, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "department", "time_zone"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    inlines = [MembershipInline]


admin.site.register(Department)
admin.site.register(ClientGroup)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "team", "role", "status", "expires_at"]
    list_filter = ["status"]
    exclude = ["token"]
