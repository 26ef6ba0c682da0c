from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from .middleware import SECOND_FACTOR_DUE

        def check_second_factor(sender, request, user, **kwargs) -> None:
            from teams import company

            if request is not None and hasattr(request, "session"):
                if company.second_factor_missing(user):
                    request.session[SECOND_FACTOR_DUE] = True
                else:
                    request.session.pop(SECOND_FACTOR_DUE, None)

        def second_factor_added(sender, request, user, **kwargs) -> None:
            if request is not None and hasattr(request, "session"):
                request.session.pop(SECOND_FACTOR_DUE, None)

        user_logged_in.connect(
            check_second_factor, dispatch_uid="accounts.second_factor", weak=False
        )
        authenticator_added.connect(
            second_factor_added, dispatch_uid="accounts.second_factor_added", weak=False
        )
