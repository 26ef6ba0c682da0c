from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from indicators.api import api
from teams import views as team_views

from . import views

# The admin's own login form authenticates through ModelBackend, outside allauth's rate
# limits: send it to allauth's login page instead, so staff logins are throttled too.
admin.site.login = secure_admin_login(admin.site.login)

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
    path("", include("coaching.urls")),
    path("api/", api.urls),
    path("", include("meetings.urls")),
    path("", include("interviews.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
