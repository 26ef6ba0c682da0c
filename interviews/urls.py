from django.urls import path

from . import views

app_name = "interviews"

V = "t/<slug:slug>/voice/"
IV = V + "interviews/<int:pk>/"

urlpatterns = [
    path(V, views.home, name="home"),
    path(V + "people/new/", views.stakeholder_create, name="stakeholder_create"),
    path(V + "people/<int:pk>/", views.stakeholder, name="stakeholder"),
    path(V + "people/<int:pk>/export/", views.stakeholder_export, name="stakeholder_export"),
    path(V + "people/<int:pk>/erase/", views.stakeholder_erase, name="stakeholder_erase"),
    path(V + "people/<int:pk>/follow-up/", views.followup, name="followup"),
    path(V + "plan/", views.plan, name="plan"),
    path(IV, views.interview, name="interview"),
    path(IV + "interview.ics", views.interview_ics, name="interview_ics"),
    path(IV + "run/", views.run, name="run"),
    path(IV + "start/", views.start, name="start"),
    path(IV + "notes/", views.note, name="note"),
    path(IV + "quotes/", views.quote, name="quote"),
    path(IV + "finish/", views.finish, name="finish"),
    path(IV + "highlights/<int:highlight_pk>/", views.highlight_tag, name="highlight_tag"),
    path(IV + "criteria/", views.criterion_add, name="criterion_add"),
    path(V + "guides/", views.guides, name="guides"),
    path(V + "guides/new/", views.guide_create, name="guide_create"),
    path(V + "beliefs/", views.beliefs, name="beliefs"),
    path(V + "synthesis/", views.synthesis, name="synthesis"),
    path(V + "settings/", views.voice_settings, name="settings"),
    path("t/<slug:slug>/charter/points/<uuid:lineage>/", views.point, name="point"),
]
