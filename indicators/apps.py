from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # Links to charter points follow the points into each new charter version.
        from charter import hooks

        from . import overview, services

        hooks.on_publish(services.charter_links_carry)
        # The indicators that need a look, on the team's overview (teams/overview.py).
        overview.register()
