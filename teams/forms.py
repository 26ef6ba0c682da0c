import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ClientGroup, Department, Organisation, Role, Team


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name"]


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name"]


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "department", "time_zone"]
        help_texts = {
            "time_zone": _("Meetings and reminders follow this time zone."),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = organisation.departments.all()
        self.fields["department"].required = False


class ClientGroupForm(forms.ModelForm):
    class Meta:
        model = ClientGroup
        fields = ["name", "kind", "description"]
        widgets = {"kind": forms.RadioSelect}
        help_texts = {
            "name": _("For example: Accounting department, New customers, Key accounts."),
        }

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = self.team.client_groups.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This team already has a client group of that name."))
        return name


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "placeholder": "name@example.com"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


PROVIDER_EXAMPLES = _(
    "Microsoft Entra ID: https://login.microsoftonline.com/TENANT-ID/v2.0 · "
    "Google Workspace: https://accounts.google.com"
)


class CompanySignInForm(forms.Form):
    """An organisation admin connects the company's OpenID Connect provider."""

    name = forms.CharField(
        label=_("Name people will recognise"),
        max_length=40,
        help_text=_('Shown on the button: "Continue with …", e.g. Microsoft, Google, Okta.'),
    )
    issuer = forms.URLField(
        label=_("Issuer URL"), max_length=300, assume_scheme="https", help_text=PROVIDER_EXAMPLES
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=191)
    secret = forms.CharField(
        label=_("Client secret"),
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored and never shown again; leave empty to keep the one saved."),
    )
    domains = forms.CharField(
        label=_("E-mail domains of the organisation"),
        max_length=500,
        help_text=_(
            "Separated by commas. People whose verified address is at one of these "
            "domains join the organisation when they first sign in."
        ),
    )
    default_team = forms.ModelChoiceField(
        label=_("Team newcomers join"), queryset=Team.objects.none(), required=False
    )
    default_role = forms.ChoiceField(label=_("Their role in it"), choices=Role.choices)
    password_allowed = forms.BooleanField(
        label=_("People may also sign in with a password"), required=False
    )
    mfa_required = forms.BooleanField(
        label=_("Managers and organisation admins must use a second factor"), required=False
    )

    def __init__(self, *args, organisation: Organisation, has_secret: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The first time, the secret is needed; afterwards an empty box keeps it.
        self.fields["secret"].required = not has_secret
        if not has_secret:
            self.fields["secret"].help_text = _("Stored and never shown again.")
        self.fields["default_team"].queryset = organisation.teams.order_by("name")
        self.fields["default_team"].empty_label = _("None: an admin adds them to a team")

    def clean_domains(self) -> str:
        domains = [d.strip().lower().lstrip("@") for d in self.cleaned_data["domains"].split(",")]
        domains = [d for d in domains if d]
        pattern = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
        wrong = [d for d in domains if not pattern.match(d)]
        if not domains or wrong:
            raise forms.ValidationError(
                _("Write domains such as example.com, separated by commas: %(wrong)s")
                % {"wrong": ", ".join(wrong) or "–"}
            )
        return ", ".join(sorted(set(domains)))
