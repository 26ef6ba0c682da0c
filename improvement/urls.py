from django.urls import path

from . import presenter, views

app_name = "improvement"

urlpatterns = [
    path("t/<slug:slug>/ideas/", views.board, name="board"),
    path("t/<slug:slug>/ideas/new/", views.idea_create, name="idea_create"),
    path("t/<slug:slug>/ideas/follow-up/", views.follow_up, name="follow_up"),
    path("t/<slug:slug>/ideas/follow-up/done/", views.follow_up_done, name="follow_up_done"),
    path("t/<slug:slug>/ideas/<int:pk>/", views.idea_detail, name="idea"),
    path("t/<slug:slug>/ideas/<int:pk>/edit/", views.idea_edit, name="idea_edit"),
    path("t/<slug:slug>/ideas/<int:pk>/move/", views.idea_move, name="idea_move"),
    path("t/<slug:slug>/ideas/<int:pk>/comments/", views.idea_comment, name="idea_comment"),
    path("t/<slug:slug>/gap-analysis/", views.gap_list, name="gap_list"),
    path("t/<slug:slug>/gap-analysis/new/", views.gap_start, name="gap_start"),
    path("t/<slug:slug>/gap-analysis/emails/", views.summary_emails, name="summary_emails"),
    path("t/<slug:slug>/gap-analysis/<int:pk>/", views.gap_meeting, name="gap_meeting"),
    path("t/<slug:slug>/gap-analysis/<int:pk>/answers/", views.gap_answer, name="gap_answer"),
    path(
        "t/<slug:slug>/gap-analysis/<int:pk>/facilitate/",
        views.gap_facilitate,
        name="gap_facilitate",
    ),
    path("t/<slug:slug>/gap-analysis/<int:pk>/control/", views.gap_control, name="gap_control"),
    path("t/<slug:slug>/gap-analysis/<int:pk>/present/", presenter.gap_present, name="gap_present"),
    path(
        "t/<slug:slug>/gap-analysis/<int:pk>/answers/<int:answer_pk>/arrange/",
        views.gap_arrange,
        name="gap_arrange",
    ),
    path(
        "t/<slug:slug>/gap-analysis/<int:pk>/answers/<int:answer_pk>/idea/",
        views.gap_answer_idea,
        name="gap_answer_idea",
    ),
    path("t/<slug:slug>/gap-analysis/<int:pk>/summary/", views.gap_summary, name="gap_summary"),
    path(
        "t/<slug:slug>/gap-analysis/<int:pk>/export.csv",
        views.gap_export,
        {"fmt": "csv"},
        name="gap_export_csv",
    ),
    path(
        "t/<slug:slug>/gap-analysis/<int:pk>/export.md",
        views.gap_export,
        {"fmt": "md"},
        name="gap_export_md",
    ),
    path("t/<slug:slug>/check-in/", views.checkin, name="checkin"),
    path("t/<slug:slug>/check-in/mine/", views.checkin_history, name="checkin_history"),
    path("t/<slug:slug>/check-in/team/", views.checkin_team, name="checkin_team"),
    path("t/<slug:slug>/check-in/settings/", views.checkin_settings, name="checkin_settings"),
    path("t/<slug:slug>/check-in/indicators/", views.checkin_indicators, name="checkin_indicators"),
    path("t/<slug:slug>/check-in/reminders/", views.checkin_reminders, name="checkin_reminders"),
]
