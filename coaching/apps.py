from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        # The review-date e-mail goes through the meetings app's exactly-once reminders
        # (coaching/reminders.py); at merge it may move to the notifications app.
        if apps.is_installed("meetings"):
            from . import reminders

            reminders.register()
