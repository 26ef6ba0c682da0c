from django.contrib import admin
from django.urls import include, path

from indicators.api import api
from teams import views as team_views

from . import views

urlpatterns = [
    path("", team_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("", include("teams.urls")),
    path("", include("charter.urls")),
    path("", include("indicators.urls")),
    path("", include("improvement.urls")),
    path("api/", api.urls),
    path("", include("meetings.urls")),
]
