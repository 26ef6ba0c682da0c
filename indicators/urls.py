from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("dashboard/", views.lead_dashboard, name="lead_dashboard"),
    path("t/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("t/<slug:slug>/dashboard/<int:pk>/measure/", views.measure, name="measure"),
    path("t/<slug:slug>/indicators/", views.indicator_list, name="list"),
    path("t/<slug:slug>/indicators/new/", views.indicator_create, name="create"),
    path("t/<slug:slug>/indicators/import/", views.import_csv, name="import"),
    path("t/<slug:slug>/indicators/import/confirm/", views.import_confirm, name="import_confirm"),
    path("t/<slug:slug>/indicators/<int:pk>/", views.indicator_detail, name="detail"),
    path("t/<slug:slug>/indicators/<int:pk>/edit/", views.indicator_edit, name="edit"),
    path("t/<slug:slug>/indicators/<int:pk>/opinion/", views.indicator_opinion, name="opinion"),
    path("t/<slug:slug>/indicators/<int:pk>/comment/", views.indicator_comment, name="comment"),
    path("t/<slug:slug>/indicators/<int:pk>/adopt/", views.indicator_adopt, name="adopt"),
    path("t/<slug:slug>/indicators/<int:pk>/retire/", views.indicator_retire, name="retire"),
    path("t/<slug:slug>/indicators/<int:pk>/target/", views.indicator_target, name="target"),
    path("t/<slug:slug>/indicators/<int:pk>/export.csv", views.indicator_export, name="export"),
    path("t/<slug:slug>/reviews/", views.review_notes, name="reviews"),
    path("t/<slug:slug>/surveys/", views.surveys, name="surveys"),
    path("t/<slug:slug>/surveys/new/", views.survey_create, name="survey_create"),
    path("t/<slug:slug>/surveys/<int:pk>/qr/", views.survey_qr, name="survey_qr"),
    path("t/<slug:slug>/surveys/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("t/<slug:slug>/connect/", views.integrations, name="integrations"),
    path("t/<slug:slug>/connect/tokens/", views.api_token_create, name="api_token_create"),
    path(
        "t/<slug:slug>/connect/tokens/<int:pk>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("t/<slug:slug>/connect/walls/", views.wall_link_create, name="wall_link_create"),
    path(
        "t/<slug:slug>/connect/walls/<int:pk>/revoke/",
        views.wall_link_revoke,
        name="wall_link_revoke",
    ),
    path("s/<str:token>/", views.survey_public, name="survey_public"),
    path("wall/<str:token>/", views.wall, name="wall"),
]
