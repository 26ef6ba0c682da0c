from django.urls import path

from . import presenter, views

app_name = "charter"

W = "t/<slug:slug>/workshops/<int:pk>/"

urlpatterns = [
    path("t/<slug:slug>/observations/", views.observations, name="observations"),
    path("t/<slug:slug>/observations/new/", views.observation_create, name="observation_create"),
    path("t/<slug:slug>/workshops/", views.workshops, name="workshops"),
    path("t/<slug:slug>/workshops/new/", views.workshop_create, name="workshop_create"),
    path(W, views.workshop, name="workshop"),
    path(W + "run/", views.workshop_run, name="workshop_run"),
    path(W + "present/", presenter.workshop_present, name="workshop_present"),
    path(W + "join/", views.workshop_join, name="workshop_join"),
    path(W + "done/", views.workshop_done, name="workshop_done"),
    path(W + "keywords/", views.keyword_propose, name="keyword_propose"),
    path(W + "vote/", views.vote, name="vote"),
    path(W + "statements/", views.statement_propose, name="statement_propose"),
    path(W + "statements/endorse/", views.statement_endorse, name="statement_endorse"),
    path(W + "step/", views.workshop_step, name="workshop_step"),
    path(W + "timer/", views.workshop_timer, name="workshop_timer"),
    path(W + "rules/", views.workshop_rules, name="workshop_rules"),
    path(W + "reveal/", views.workshop_reveal, name="workshop_reveal"),
    path(W + "merge/", views.keyword_merge, name="keyword_merge"),
    path(W + "select/", views.keywords_select, name="keywords_select"),
    path(W + "points/", views.point_set, name="point_set"),
    path(W + "points/order/", views.point_move, name="point_move"),
    path(W + "publish/", views.publish, name="publish"),
    path(W + "export.<str:fmt>", views.workshop_export, name="workshop_export"),
    path("t/<slug:slug>/charter/", views.charter, name="charter"),
    path("t/<slug:slug>/charter/present/", presenter.charter_present, name="charter_present"),
    path("j/<int:pk>/", presenter.workshop_short, name="workshop_short"),
    path("t/<slug:slug>/charter/diff/", views.charter_diff, name="charter_diff"),
    path("t/<slug:slug>/charter/share/", views.charter_share, name="charter_share"),
    path(
        "t/<slug:slug>/charter/v<int:number>/endorse/",
        views.charter_endorse,
        name="charter_endorse",
    ),
    # Share tokens are URL-safe base64 (letters, digits, - and _): a slug, nothing else.
    path("c/<slug:token>/", views.public, name="public"),
]
