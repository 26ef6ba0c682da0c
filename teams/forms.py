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
