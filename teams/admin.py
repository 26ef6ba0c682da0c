from django.contrib import admin

from .models import ClientGroup, Department, Invitation, Membership, Organisation, Team


class MembershipInline(admin.TabularInline):
    """Who is in the team, for support staff to look at.

    Roles change and people leave through the team's People page: its services keep
    at least one manager, which an editable inline would let anyone bypass.
    """

    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["user", "role", "joined_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
