from django.urls import path

from . import views

app_name = "coaching"

talk = "t/<slug:slug>/coaching/one-to-ones/<int:pk>/"
objective = "t/<slug:slug>/coaching/objectives/<int:pk>/"

urlpatterns = [
    path("coaching/across-teams/", views.across, name="across"),
    path("t/<slug:slug>/coaching/", views.home, name="home"),
    path("t/<slug:slug>/coaching/one-to-ones/new/", views.start, name="start"),
    path(talk, views.one_to_one, name="one_to_one"),
    path(talk + "answer/", views.answer, name="answer"),
    path(talk + "facts/", views.fact, name="fact"),
    path(talk + "notes/", views.note, name="note"),
    path(talk + "next/", views.plan_next, name="next"),
    path(talk + "objective/", views.objective_new, name="objective_new"),
    path(objective, views.objective, name="objective"),
    path(objective + "edit/", views.objective_edit, name="objective_edit"),
    path(objective + "accept/", views.objective_accept, name="objective_accept"),
    path(objective + "progress/", views.progress, name="progress"),
    path("t/<slug:slug>/coaching/practice/", views.practice, name="practice"),
    path("t/<slug:slug>/coaching/practice/<slug:key>/", views.situation, name="situation"),
    path("t/<slug:slug>/coaching/log/", views.log, name="log"),
    path("t/<slug:slug>/coaching/feedback/", views.feedback, name="feedback"),
    path("o/<slug:org_slug>/coaching/leaders/", views.leaders, name="leaders"),
    path("o/<slug:org_slug>/coaching/situations/", views.situations, name="situations"),
    path(
        "o/<slug:org_slug>/coaching/situations/<int:pk>/retire/",
        views.situation_retire,
        name="situation_retire",
    ),
]
