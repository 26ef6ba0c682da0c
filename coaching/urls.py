from django.urls import path

from . import views

app_name = "coaching"

talk = "t/<slug:slug>/coaching/one-to-ones/<int:pk>/"
objective = "t/<slug:slug>/coaching/objectives/<int:pk>/"

urlpatterns = [
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
]
