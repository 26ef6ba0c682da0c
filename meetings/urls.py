from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("t/<slug:slug>/meetings/", views.meeting_list, name="list"),
    path("t/<slug:slug>/meetings/history/", views.history, name="history"),
    path("t/<slug:slug>/meetings/new/", views.meeting_create, name="create"),
    path("t/<slug:slug>/meetings/series/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("t/<slug:slug>/meetings/series/<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path(
        "t/<slug:slug>/meetings/calendar/regenerate/",
        views.team_feed_regenerate,
        name="team_feed_regenerate",
    ),
    path("t/<slug:slug>/meetings/<int:pk>/", views.occurrence_detail, name="occurrence"),
    path("t/<slug:slug>/meetings/<int:pk>/items/", views.item_add, name="item_add"),
    path(
        "t/<slug:slug>/meetings/<int:pk>/items/<int:item_pk>/delete/",
        views.item_delete,
        name="item_delete",
    ),
    path("t/<slug:slug>/meetings/<int:pk>/minutes/", views.minutes_save, name="minutes"),
    path("t/<slug:slug>/meetings/<int:pk>/minutes/send/", views.minutes_send, name="minutes_send"),
    path("t/<slug:slug>/meetings/<int:pk>/move/", views.occurrence_move, name="move"),
    path(
        "t/<slug:slug>/meetings/<int:pk>/cancel/",
        views.occurrence_cancel,
        name="occurrence_cancel",
    ),
    path("t/<slug:slug>/meetings/<int:pk>/event.ics", views.occurrence_ics, name="occurrence_ics"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("me/reminders/", views.my_reminders, name="my_reminders"),
    path("me/reminders/calendar/regenerate/", views.my_feed_regenerate, name="my_feed_regenerate"),
]
