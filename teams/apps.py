from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Organisations and teams")

    def ready(self) -> None:
        # The invitation e-mail, sent by the outbox (notifications/).
        from . import emails

        emails.register()
