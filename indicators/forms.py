import secrets

from django import forms
from django.core import signing
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import Team

from . import imports, metrics, rules, selectors
from .models import Comment, Indicator, Opinion, ReviewNote

DECIMAL = {"max_digits": 12, "decimal_places": 2, "required": False}
# The indicator form's fields in the order it shows them (the targets are not model fields).
INDICATOR_FIELDS = [
    "client_question",
    "name",
    "observed",
    "measured",
    "unit",
    "decimals",
    "direction",
    "baseline",
    "target",
    "target_low",
    "target_high",
    "frequency",
    "source",
    "owner",
    "client_group",
    "charter_points",
]


class IndicatorForm(forms.ModelForm):
    target = forms.DecimalField(
        label=_("Target"),
        help_text=_("Agreed by the team, for the coming periods. You can change it later."),
        **DECIMAL,
    )
    target_low = forms.DecimalField(label=_("Range: low bound"), **DECIMAL)
    target_high = forms.DecimalField(label=_("Range: high bound"), **DECIMAL)

    class Meta:
        model = Indicator
        fields = [name for name in INDICATOR_FIELDS if not name.startswith("target")]
        widgets = {
            "charter_points": forms.CheckboxSelectMultiple,
            "observed": forms.Textarea(attrs={"rows": 2}),
            "measured": forms.Textarea(attrs={"rows": 2}),
            "direction": forms.RadioSelect,
        }
        help_texts = {
            "name": _("Short, for the dashboard: for example “Answered within 4 hours”."),
            "observed": _("What, concretely, can anyone see happen?"),
            "measured": _("Where the number comes from and how it is counted."),
            "baseline": _("Where we stand today, if known."),
        }

    field_order = INDICATOR_FIELDS

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = Indicator.Direction.choices
        self.fields["direction"].initial = Indicator.Direction.HIGHER
        self.fields["owner"].queryset = team.people.order_by("display_name")
        self.fields["owner"].label_from_instance = lambda u: u.display_name or u.email
        self.fields["owner"].blank_label = _("Nobody yet")
        self.fields["client_group"].queryset = team.client_groups.all()
        self.fields["client_group"].blank_label = _("All our clients")
        self.fields["decimals"].blank_label = _("Suited to the unit")
        points = selectors.charter_points_for_linking(team=team, indicator=self.instance)
        if points:
            self.fields["charter_points"].queryset = points
            self.fields["charter_points"].label_from_instance = lambda p: (
                f"{p.keyword}: {p.statement}"
            )
        else:  # no published charter yet
            del self.fields["charter_points"]

    def clean(self):
        data = super().clean()
        if data.get("direction") == Indicator.Direction.RANGE:
            low, high = data.get("target_low"), data.get("target_high")
            if low is None or high is None:
                self.add_error("target_low", _("A range needs a low and a high bound."))
            elif low > high:
                self.add_error("target_high", _("The high bound must not be below the low one."))
        if data.get("unit"):
            names = ("baseline", "target", "target_low", "target_high")
            refusals = rules.target_refusals(unit=data["unit"], **{n: data.get(n) for n in names})
            for name, why in refusals.items():
                if name not in self.errors:
                    self.add_error(name, why)
        return data


class TargetForm(forms.Form):
    valid_from = forms.DateField(
        label=_("From the period of"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    value = forms.DecimalField(label=_("Target"), **DECIMAL)
    low = forms.DecimalField(label=_("Low bound"), **DECIMAL)
    high = forms.DecimalField(label=_("High bound"), **DECIMAL)

    def __init__(self, *args, indicator: Indicator, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["valid_from"].initial = selectors.team_today(indicator.team)
        if indicator.direction == Indicator.Direction.RANGE:
            del self.fields["value"]
            self.fields["low"].required = self.fields["high"].required = True
        else:
            del self.fields["low"], self.fields["high"]
            self.fields["value"].required = True

    def clean(self):
        data = super().clean()
        if "value" in self.fields and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Give the target."))
        if "low" in self.fields:
            low, high = data.get("low"), data.get("high")
            if (low is None or high is None or low > high) and "high" not in self.errors:
                self.add_error("high", _("Give a low bound and a high bound above it."))
        names = [name for name in ("value", "low", "high") if name in self.fields]
        values = {name: data.get(name) for name in names if name not in self.errors}
        for name, why in rules.target_refusals(unit=self.indicator.unit, **values).items():
            self.add_error(name, why)
        if data.get("valid_from"):
            why = rules.target_start_refusal(
                day=data["valid_from"],
                created=rules.created_day(self.indicator),
                today=selectors.team_today(self.indicator.team),
            )
            if why:
                self.add_error("valid_from", why)
        return data


class OpinionForm(forms.Form):
    choice = forms.ChoiceField(choices=Opinion.Choice.choices)


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 2})}
        labels = {"body": _("Your comment")}


class MeasurementForm(forms.Form):
    day = forms.DateField(
        label=_("Period"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Any day of the period."),
    )
    value = forms.CharField(label=_("Value"), max_length=30)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, indicator: Indicator, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["day"].initial = metrics.previous_period_start(
            selectors.team_today(indicator.team), indicator.frequency
        )
        self.fields["value"].widget.attrs.update({"inputmode": "decimal", "autofocus": True})

    def clean_value(self):
        value = metrics.parse_decimal(self.cleaned_data["value"])
        if value is None:
            raise forms.ValidationError(_("Enter a number, for example 12.5."))
        return value

    def clean(self):
        data = super().clean()
        refusals = rules.measurement_refusals(
            indicator=self.indicator,
            day=data.get("day"),
            value=data.get("value"),
            today=selectors.team_today(self.indicator.team),
        )
        for part, why in refusals.items():
            self.add_error("day" if part == "period" else "value", why)
        return data


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: indicator (its name or number), period (YYYY-MM-DD, any day of the "
            "period), value, note (optional). The first line holds the column names."
        ),
    )

    def clean_file(self):
        # Refused from its announced size, before anything reads it.
        file = self.cleaned_data["file"]
        if file.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                _("This file weighs %(size)s: at most %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(imports.MAX_BYTES)}
            )
        return file


class ReviewNoteForm(forms.ModelForm):
    class Meta:
        model = ReviewNote
        fields = ["period_start", "indicator", "where_we_stand", "working", "holding_back"]
        widgets = {
            "period_start": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "where_we_stand": forms.Textarea(attrs={"rows": 2}),
            "working": forms.Textarea(attrs={"rows": 2}),
            "holding_back": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"period_start": _("Period of")}

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = team.indicators.filter(status=Indicator.Status.ADOPTED)
        self.fields["indicator"].required = False
        self.fields["indicator"].empty_label = _("The whole dashboard")
        self.fields["period_start"].initial = selectors.team_today(team)
        self.team = team

    def clean(self):
        data = super().clean()
        day, indicator = data.get("period_start"), data.get("indicator")
        if day:
            created = indicator.created_at if indicator else self.team.created_at
            why = rules.period_refusal(
                day=day,
                frequency=indicator.frequency if indicator else Indicator.Frequency.DAILY,
                created=timezone.localdate(created),
                today=selectors.team_today(self.team),
            )
            if why:
                self.add_error("period_start", why)
        return data


class SurveyForm(forms.Form):
    client_group = forms.ModelChoiceField(label=_("Client group"), queryset=None)
    indicator = forms.ModelChoiceField(
        label=_("Indicator it feeds"),
        queryset=None,
        help_text=_("An adopted indicator whose source is “Client survey”, measured in %."),
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_group"].queryset = team.client_groups.all()
        self.fields["indicator"].queryset = team.indicators.filter(
            source=Indicator.Source.SURVEY,
            unit=Indicator.Unit.PERCENT,
            status=Indicator.Status.ADOPTED,  # answers feed adopted indicators only
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What will use it?"),
        max_length=80,
        help_text=_("For example: help-desk export."),
    )


NONCE_SALT = "indicators.survey"
NONCE_MAX_AGE = 60 * 60 * 24


class SurveyAnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer you got?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to tell us?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(
        self, *args, survey_token: str, points=(), nonce: str | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signer = signing.TimestampSigner(salt=f"{NONCE_SALT}:{survey_token}")
        self.points = list(points)
        # Optional: one row of 1-5 per charter point, named after the point's lineage so
        # that a form opened before a new charter version came out still counts its
        # ratings for the points the new version carries on.
        for point in self.points:
            self.fields[self._name(point)] = forms.TypedChoiceField(
                label=point.statement,
                choices=[(n, str(n)) for n in range(1, 6)],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
        if not self.is_bound:
            # The respondent's visit (views.survey_public) keeps its nonce: the form they
            # come back to with Back counts once, however often it is sent.
            if nonce is None or not self._valid(nonce):
                nonce = self.signer.sign(secrets.token_urlsafe(15))
            self.initial["nonce"] = nonce

    def _valid(self, nonce: str) -> bool:
        try:
            self.signer.unsign(nonce, max_age=NONCE_MAX_AGE)
        except signing.BadSignature:
            return False
        return True

    @staticmethod
    def _name(point) -> str:
        return f"point_{point.lineage.hex}"

    def point_fields(self):
        return [self[self._name(point)] for point in self.points]

    def point_scores(self) -> dict[int, int]:
        return {
            point.pk: self.cleaned_data[self._name(point)]
            for point in self.points
            if self.cleaned_data.get(self._name(point))
        }

    def clean_nonce(self) -> str:
        nonce = self.cleaned_data["nonce"]
        if not self._valid(nonce):
            raise forms.ValidationError(_("This form has expired. Please reload the page."))
        return nonce
