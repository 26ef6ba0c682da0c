from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Steering meetings and reminders")

    def ready(self) -> None:
        # The next meeting, on the team's overview (teams/overview.py).
        from . import emails, overview

        overview.register()
        # The meetings' kinds of message, sent by the outbox (notifications/).
        emails.register()
        # Other apps plug sections into the agenda and kinds of reminder into the
        # e-mails (meetings/agenda.py, notifications/emails.py); the indicators' part is here.
        if apps.is_installed("indicators"):
            from . import indicators

            indicators.register()
