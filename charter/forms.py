import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config import ranges
from config.once import SentOnce
from teams.models import Team

from . import services
from .models import DOTS, OBSERVED_ON, TIME_BOX, Observation, Workshop, keyword_normalise


def split_keywords(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def keyword_check(word: str) -> None:
    """Refuses a word that would normalise to nothing (a lone accent, punctuation)."""
    if not any(c.isalnum() for c in keyword_normalise(word)):
        raise ValidationError(
            _("“%(word)s” is not a keyword: use at least one letter or digit.") % {"word": word},
            code="no_letter",
        )


class ObservationForm(SentOnce, forms.ModelForm):
    keywords_text = forms.CharField(
        label=_("Behaviour keywords"),
        max_length=300,
        help_text=_("One or more, separated by commas: patient, honest, educational..."),
        widget=forms.TextInput(
            attrs={
                "list": "keyword-vocabulary",
                "autocomplete": "off",
                "autocapitalize": "none",
                # charter.js suggests words for the last one typed, not the whole value.
                "data-keywords": "",
                "data-suggest-label": _("Keywords the team already uses"),
            }
        ),
    )

    class Meta:
        model = Observation
        fields = ["reaction", "behaviour", "client_group", "observed_on", "hide_author"]
        widgets = {
            "reaction": forms.TextInput(
                attrs={"placeholder": _("grateful, reassured, annoyed...")}
            ),
            "behaviour": forms.Textarea(attrs={"rows": 3}),
            "observed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    field_order = ["reaction", "behaviour", "keywords_text", "client_group", "observed_on"]

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_group"].queryset = team.client_groups.all()
        self.fields["client_group"].required = False
        self.fields["client_group"].empty_label = _("No particular group")

    def clean_keywords_text(self) -> list[str]:
        words = split_keywords(self.cleaned_data["keywords_text"])
        if not words:
            raise ValidationError(_("Name at least one behaviour keyword."))
        if any(len(w) > 60 for w in words):
            raise ValidationError(_("A keyword is at most 60 characters."))
        for word in words:
            keyword_check(word)
        return words

    def clean_observed_on(self) -> datetime.date:
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("An observation cannot be in the future."))
        why = OBSERVED_ON.refusal(day, timezone.localdate())
        if why:
            raise ValidationError(why)
        return day


PERIODS = [
    ("", _("Any time")),
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 3 months")),
]


class ObservationFilterForm(forms.Form):
    keyword = forms.CharField(
        label=_("Keyword"),
        required=False,
        widget=forms.TextInput(attrs={"list": "keyword-vocabulary", "autocomplete": "off"}),
    )
    client_group = forms.ModelChoiceField(
        label=_("Client group"), queryset=None, required=False, empty_label=_("All")
    )
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["client_group"].queryset = team.client_groups.all()

    def keyword_obj(self):
        text = self.cleaned_data.get("keyword") or ""
        if not text.strip():
            return None
        found = self.team.keywords.filter(normalised=keyword_normalise(text)).first()
        return found or False


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "title",
            "dots_per_person",
            "max_dots_per_keyword",
            "results_hidden",
            "observe_minutes",
            "propose_minutes",
            "vote_minutes",
            "select_minutes",
            "draft_minutes",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The model's ranges (charter.models.DOTS, TIME_BOX) validate; the widgets say them.
        for name in self.fields:
            if name.endswith("_minutes"):
                ranges.apply(self.fields[name], TIME_BOX)
            elif name.startswith(("dots_", "max_dots_")):
                ranges.apply(self.fields[name], DOTS)

    def clean(self):
        data = super().clean()
        dots, cap = data.get("dots_per_person"), data.get("max_dots_per_keyword")
        if dots and cap and cap > dots:
            self.add_error(
                "max_dots_per_keyword", _("At least 1 and no more than the dots per person.")
            )
        return data


class RulesForm(WorkshopForm):
    class Meta(WorkshopForm.Meta):
        fields = ["dots_per_person", "max_dots_per_keyword", "results_hidden"]


class KeywordForm(forms.Form):
    text = forms.CharField(
        label=_("A keyword"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "keyword-vocabulary"}),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        keyword_check(text)
        return text


class MergeForm(forms.Form):
    source = forms.IntegerField()
    target = forms.IntegerField()


class StatementForm(forms.Form):
    keyword = forms.TypedChoiceField(label=_("Keyword"), coerce=int)
    text = forms.CharField(
        label=_("Charter point"),
        max_length=240,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A behaviour a client could notice, starting with a verb."),
    )

    def __init__(self, *args, keywords=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keyword"].choices = [(k.pk, k.keyword.label) for k in keywords]

    def clean_text(self) -> str:
        return services.statement_validate(self.cleaned_data["text"])


class PointForm(forms.Form):
    keyword = forms.IntegerField(widget=forms.HiddenInput)
    statement = forms.CharField(
        label=_("Charter point"), max_length=240, widget=forms.Textarea(attrs={"rows": 2})
    )
    coaching_question = forms.CharField(label=_("Coaching question"), max_length=240)

    def clean_statement(self) -> str:
        return services.statement_validate(self.cleaned_data["statement"])
