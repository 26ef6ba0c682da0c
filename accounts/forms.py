from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from teams import services as team_services

from .models import User


class SignupForm(forms.Form):
    """Extra sign-up fields, used by allauth's own sign-up form.

    Naming an organisation creates it with the new person as its admin; someone who
    signs up from an invitation leaves it empty and joins when they accept.
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

    def signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
        if self.cleaned_data.get("organisation_name", "").strip():
            team_services.organisation_create(
                name=self.cleaned_data["organisation_name"].strip(), admin=user
            )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language", "time_zone"]
