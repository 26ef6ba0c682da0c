from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest
from django.shortcuts import render


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_form_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_signup_form_initial_data(request)
        email = request.session.get("invitation_email")
        if email:
            initial["email"] = email
        return initial


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Company sign-in (teams.company): only an address the company's provider verified,
    in one of the organisation's domains, signs in; a newcomer joins the organisation."""

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        from teams import company

        config = company.for_app(sociallogin.account.provider)
        if config is None:
            return
        email = (sociallogin.user.email or "").strip().lower()
        verified = any(
            address.verified and address.email.lower() == email
            for address in sociallogin.email_addresses
        )
        existing = sociallogin.user if sociallogin.is_existing else None
        why = company.admit(config, email=email, verified=verified, existing=existing)
        if why:
            page = render(
                request,
                "account/company_refused.html",
                {"why": why, "organisation": config.organisation},
                status=403,
            )
            raise ImmediateHttpResponse(page)
        if sociallogin.is_existing:
            company.join(config, sociallogin.user)

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return True  # pre_social_login admitted the address: a newcomer is expected

    def populate_user(self, request: HttpRequest, sociallogin, data: dict):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.display_name = (name or user.email.partition("@")[0])[:80]
        return user

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        from teams import company

        user = super().save_user(request, sociallogin, form)
        config = company.for_app(sociallogin.account.provider)
        if config is not None:
            company.join(config, user)
        return user
