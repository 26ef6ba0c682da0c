from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("orgs/new/", views.organisation_create, name="organisation_create"),
    path("o/<slug:org_slug>/", views.organisation_detail, name="organisation"),
    path("o/<slug:org_slug>/teams/new/", views.team_create, name="team_create"),
    path("o/<slug:org_slug>/sign-in/", views.company_sign_in, name="company_sign_in"),
    path("o/<slug:org_slug>/departments/", views.department_create, name="department_create"),
    path(
        "o/<slug:org_slug>/people/<int:pk>/admin/",
        views.organisation_admin,
        name="organisation_admin",
    ),
    path("t/<slug:slug>/", views.team_detail, name="team"),
    path("t/<slug:slug>/settings/", views.team_settings, name="settings"),
    path("t/<slug:slug>/client-groups/new/", views.client_group_create, name="client_group_create"),
    path(
        "t/<slug:slug>/client-groups/<int:pk>/", views.client_group_edit, name="client_group_edit"
    ),
    path(
        "t/<slug:slug>/client-groups/<int:pk>/remove/",
        views.client_group_remove,
        name="client_group_remove",
    ),
    path("t/<slug:slug>/members/", views.members, name="members"),
    path("t/<slug:slug>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("t/<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("t/<slug:slug>/leave/", views.team_leave, name="leave"),
    path("t/<slug:slug>/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "t/<slug:slug>/invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "t/<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path(
        "invitations/<str:token>/accept/",
        views.invitation_answer,
        {"answer": "accept"},
        name="invitation_accept",
    ),
    path(
        "invitations/<str:token>/decline/",
        views.invitation_answer,
        {"answer": "decline"},
        name="invitation_decline",
    ),
]
