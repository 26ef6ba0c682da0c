from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Client voice")

    def ready(self) -> None:
        # The interviewer's reminder and .ics event go through the meetings app's
        # exactly-once reminders (interviews/reminders.py).
        if apps.is_installed("meetings"):
            from . import reminders

            reminders.register()
