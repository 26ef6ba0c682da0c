from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from indicators import hooks

        from . import reminders, views

        # The review-date e-mail goes through the notifications app's exactly-once outbox.
        reminders.register()
        # The lead dashboard across teams shows coaching and modelling per team.
        hooks.register_lead_section(views.lead_section)
