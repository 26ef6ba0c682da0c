from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "improvement"
    verbose_name = _("Gap analysis and implementation tracker")

    def ready(self) -> None:
        # The check-in and the open ideas, on the team's overview (teams/overview.py).
        from . import overview

        overview.register()
        # The indicators the check-ins feed are computed here, not typed in
        # (indicators/hooks.py).
        from indicators import hooks

        hooks.register_feed(_checkin_feed)
        # The ideas' follow-up joins the steering meeting's agenda and the weekly
        # check-in e-mail goes through the meetings app's reminders (improvement/steering.py).
        if apps.is_installed("meetings"):
            from . import steering

            steering.register()


def _checkin_feed(pk):
    from .models import CheckinIndicator

    return CheckinIndicator.objects.filter(indicator=pk)
