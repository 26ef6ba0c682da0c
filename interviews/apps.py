from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Client voice")

    def ready(self) -> None:
        # The interviewer's reminder and .ics event, and the follow-up to a stakeholder, go
        # through the notifications app's exactly-once outbox (interviews/reminders.py).
        from . import reminders

        reminders.register()
