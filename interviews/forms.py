from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from charter.forms import keyword_check, split_keywords
from teams.models import ClientGroup, Team

from .models import DURATION, EVIDENCE_DAYS, INTERVIEW_DAY, Guide, Stakeholder, Tone

KEYWORD_ATTRS = {
    "list": "keyword-vocabulary",
    "autocomplete": "off",
    "autocapitalize": "none",
    "data-keywords": "",
}


def clean_keyword_list(text: str, *, required: bool) -> list[str]:
    words = split_keywords(text)
    if required and not words:
        raise ValidationError(_("Name at least one behaviour keyword."))
    if any(len(w) > 60 for w in words):
        raise ValidationError(_("A keyword is at most 60 characters."))
    for word in words:
        keyword_check(word)
    return words


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "client_group",
            "role",
            "organisation",
            "contact",
            "language",
            "consent_notes",
            "consent_named",
        ]

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_group"].queryset = team.client_groups.all()
        self.fields["consent_notes"].required = False
        self.fields["consent_notes"].help_text = _(
            "Without it, the interview can be planned but nothing of it is written down."
        )


class InterviewPlanForm(forms.Form):
    stakeholder = forms.ModelChoiceField(
        label=_("Stakeholder"), queryset=Stakeholder.objects.none()
    )
    interviewer = forms.ModelChoiceField(label=_("Interviewer"), queryset=User.objects.none())
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), initial=45, **DURATION.form_kwargs()
    )
    guide = forms.ModelChoiceField(label=_("Guide"), queryset=Guide.objects.none(), required=False)

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["stakeholder"].queryset = team.stakeholders.filter(
            erased_at__isnull=True
        ).select_related("client_group")
        self.fields["interviewer"].queryset = User.objects.filter(memberships__team=team).order_by(
            "display_name"
        )
        self.fields["guide"].queryset = team.interview_guides.all()
        self.fields["guide"].blank_label = _("The guide for their kind of client")
        self.fields["at"].help_text = _("In the team's time zone (%(tz)s).") % {
            "tz": team.time_zone
        }

    def clean_day(self):
        day = self.cleaned_data["day"]
        why = INTERVIEW_DAY.refusal(day, timezone.localdate())
        if why:
            raise ValidationError(why)
        return day

    def clean(self) -> dict:
        data = super().clean()
        if data.get("day") and data.get("at"):
            local = datetime.combine(data["day"], data["at"], ZoneInfo(str(self.team.time_zone)))
            data["scheduled_at"] = local
        return data


class GuideForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(
        label=_("For clients"), choices=ClientGroup.Kind.choices, widget=forms.RadioSelect
    )
    questions = forms.CharField(
        label=_("Questions, in order"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One question per line."),
    )

    def clean_questions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise ValidationError(_("Write at least one question."))
        if len(lines) > 30:
            raise ValidationError(_("At most 30 questions."))
        if any(len(line) > 300 for line in lines):
            raise ValidationError(_("A question is at most 300 characters."))
        return lines


class NoteForm(forms.Form):
    position = forms.IntegerField(min_value=0, max_value=100, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Notes"), required=False, max_length=10000, strip=False, widget=forms.Textarea
    )


class QuoteForm(forms.Form):
    position = forms.IntegerField(min_value=0, max_value=100, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Their exact words"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Select words in your notes, or type them as said."),
    )


class HighlightTagForm(forms.Form):
    keywords_text = forms.CharField(
        label=_("Behaviour keywords"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=KEYWORD_ATTRS),
    )
    tone = forms.ChoiceField(label=_("Tone"), choices=Tone.choices, widget=forms.RadioSelect)
    point = forms.ChoiceField(label=_("Charter point"), required=False, choices=())

    def __init__(self, *args, points=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [("", _("No particular point"))] + [
            (str(p.lineage), f"{p.keyword}: {p.statement}") for p in points
        ]

    def clean_keywords_text(self) -> list[str]:
        return clean_keyword_list(self.cleaned_data["keywords_text"], required=False)


class CriterionForm(forms.Form):
    text = forms.CharField(
        label=_("Satisfaction criterion"),
        max_length=200,
        help_text=_("In their words: “answers within the day”, “tells me who owns my request”."),
    )


class BeliefForm(forms.Form):
    keyword = forms.CharField(
        label=_("Keyword"), max_length=60, widget=forms.TextInput(attrs=KEYWORD_ATTRS)
    )
    statement = forms.CharField(
        label=_("What we believe our clients value"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("that we answer within the hour")}),
    )

    def clean_keyword(self) -> str:
        return clean_keyword_list(self.cleaned_data["keyword"], required=True)[0]


class VoiceSettingsForm(forms.Form):
    evidence_days = forms.IntegerField(
        label=_("Flag a keyword without client words after (days)"),
        **EVIDENCE_DAYS.form_kwargs(),
    )


class FollowUpForm(forms.Form):
    message = forms.CharField(
        label=_("What changed since we talked"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your words, for them. Never quote another client."),
    )
    point = forms.ChoiceField(label=_("The charter point it led to"), required=False, choices=())
    idea = forms.ChoiceField(label=_("The idea it led to"), required=False, choices=())

    def __init__(self, *args, points=(), ideas=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.points = {str(p.lineage): p for p in points}
        self.fields["point"].choices = [("", _("None"))] + [
            (key, f"{p.keyword}: {p.statement}") for key, p in self.points.items()
        ]
        self.fields["idea"].choices = [("", _("None"))] + [(t, t) for t in ideas]
