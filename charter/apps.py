from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = _("Charter")

    def ready(self) -> None:
        # The charter's panel on the team's overview (teams/overview.py).
        from . import overview

        overview.register()
        # The "charter published" e-mail, sent by the outbox (notifications/).
        from . import emails

        emails.register()
