from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from teams import company as team_company
from teams import selectors as team_selectors
from teams import services as team_services

from .models import User


class SignupForm(forms.Form):
    """Extra sign-up fields, used by allauth's own sign-up form.

    Naming an organisation creates it with the new person as its admin. Only someone
    with an open invitation for their address may leave it empty: they join the
    inviting team's organisation when they accept, and nobody ends up in none.
    """

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("How your teammates will see you."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=120,
        required=False,
        help_text=_(
            "The company or department your teams belong to. Leave it empty if a "
            "colleague invited you: you will join theirs."
        ),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        name = cleaned.get("organisation_name")  # already stripped by the CharField
        email = cleaned.get("email")
        if not name and email and not team_selectors.invitations_for_email(email=email).exists():
            self.add_error(
                "organisation_name",
                _(
                    "Name your organisation. If a colleague invited you, sign up with the "
                    "address their invitation was sent to."
                ),
            )
        return cleaned

    def signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
        if self.cleaned_data["organisation_name"]:
            team_services.organisation_create(
                name=self.cleaned_data["organisation_name"], admin=user
            )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language", "time_zone", "anonymous_by_default"]


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form in the product's words (ACCOUNT_FORMS)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")

    def clean(self):
        # An organisation that signs in with its company account may turn passwords off.
        why = team_company.password_refusal(str(self.data.get("login") or ""))
        if why:
            raise forms.ValidationError(why)
        return super().clean()


class CompanyEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work e-mail address"),
        help_text=_("We send you to your company's sign-in page."),
        max_length=254,
    )
