from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_form_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_signup_form_initial_data(request)
        email = request.session.get("invitation_email")
        if email:
            initial["email"] = email
        return initial
