from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config import formats, ranges
from teams.models import Membership, Team

from . import services
from .models import (
    MINUTES,
    TARGET,
    CoachingMoment,
    Measure,
    ModellingFeedback,
    ObjectiveRevision,
    ProgressNote,
)

# A conversation is noted up to a year back or planned up to a year ahead; a review
# date is from today on, within two years.
HELD_ON = ranges.DayWindow(back=relativedelta(years=1), ahead=relativedelta(years=1))
REVIEW_ON = ranges.DayWindow(back=relativedelta(), ahead=relativedelta(years=2))
NEXT_ON = ranges.DayWindow(back=relativedelta(), ahead=relativedelta(years=1))
MOMENT_ON = ranges.DayWindow(back=relativedelta(months=3), ahead=relativedelta())
RECENT_OBSERVATIONS = timedelta(days=90)  # the ones a manager may attach as facts


def _day(form: forms.Form, name: str, window: ranges.DayWindow):
    day = form.cleaned_data.get(name)
    why = window.refusal(day, timezone.localdate())
    if why:
        raise forms.ValidationError(why)
    return day


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


def _current_points(team: Team):
    from .selectors import current_points

    return current_points(team=team)


class StartForm(forms.Form):
    member = PersonField(label=_("With"), queryset=User.objects.none())
    held_on = forms.DateField(label=_("Day of the conversation"), widget=_date_widget())

    def __init__(self, *args, team: Team, manager: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            User.objects.filter(memberships__team=team)
            .exclude(pk=manager.pk)
            .order_by("display_name", "email")
        )

    def clean_held_on(self):
        return _day(self, "held_on", HELD_ON)


class AnswerForm(forms.Form):
    client_view = forms.CharField(
        label=_(
            "Concretely, what would make the people in contact with you say they are "
            "satisfied with the answer they got?"
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your own words, from their side: what they would notice."),
    )


class ObservationField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{formats.day(obj.observed_on)} · {obj.reaction}"


class FactForm(forms.Form):
    observation = ObservationField(
        label=_("An observation of the team"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("Its author is not shown."),
    )
    observation.blank_label = _("No observation")
    text = forms.CharField(
        label=_("What was observed"),
        max_length=400,
        required=False,
        help_text=_("A fact, not a verdict: what happened, when, what the client said."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Membership.objects.none(), required=False
    )
    indicator.blank_label = _("No indicator")
    value = forms.DecimalField(
        label=_("Its value"),
        required=False,
        max_digits=12,
        decimal_places=2,
        **TARGET.form_kwargs(),
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        since = timezone.localdate() - RECENT_OBSERVATIONS
        self.fields["observation"].queryset = team.observations.filter(
            observed_on__gte=since
        ).order_by("-observed_on", "-pk")
        self.fields["indicator"].queryset = team.indicators.exclude(status="retired").order_by(
            "name"
        )
        ranges.apply(self.fields["value"], TARGET)

    def clean(self):
        data = super().clean()
        if data.get("value") is not None and not data.get("indicator"):
            self.add_error("indicator", _("Say which indicator this value is of."))
        if not (data.get("text") or data.get("observation") or data.get("indicator")):
            if not self.errors:
                self.add_error("text", _("Describe the fact, or choose an observation."))
        return data


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    private = forms.BooleanField(
        label=_("Only for me"),
        required=False,
        help_text=_("A private note stays yours: the other person never reads it."),
    )


class NextForm(forms.Form):
    next_on = forms.DateField(label=_("Next conversation"), widget=_date_widget())

    def clean_next_on(self):
        return _day(self, "next_on", NEXT_ON)


class ObjectiveForm(forms.ModelForm):
    """An objective's wording. Saving it proposes it (or a new wording): the other
    person then accepts it, or changes it in turn."""

    class Meta:
        model = ObjectiveRevision
        fields = list(services.WORDING_FIELDS)
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "measure": forms.RadioSelect,
            "review_on": _date_widget(),
        }
        help_texts = {
            "statement": _(
                "What anyone could observe when it works, e.g. “every internal request "
                "gets a first answer the same day”."
            ),
            "target": _("Agreed together, never set from above."),
        }

    # The fields of one way of measuring show in their own group, the others hidden by
    # static/js/coaching.js; no browser-side `required`, as hidden groups are empty.
    use_required_attribute = False
    MEASURE_FIELDS = ("unit", "direction", "target", "frequency", "indicator", "point")

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = team.indicators.filter(status="adopted").order_by(
            "name"
        )
        self.fields["point"].queryset = _current_points(team)
        ranges.apply(self.fields["target"], TARGET)
        # What a way of measuring needs is required (services.MEASURE_NEEDS); shown
        # unbound, every group reads as needed, since only the chosen one is visible.
        needed = (
            services.MEASURE_NEEDS.get(self.data.get(self.add_prefix("measure")), ())
            if self.is_bound
            else self.MEASURE_FIELDS
        )
        for name in self.MEASURE_FIELDS:
            self.fields[name].required = name in needed

    def groups(self) -> list[tuple[str, str, list]]:
        """The measure-specific fields by way of measuring, for the template."""
        labels = dict(Measure.choices)
        return [
            (measure, labels[measure], [self[name] for name in names])
            for measure, names in services.MEASURE_NEEDS.items()
        ]

    def clean_review_on(self):
        return _day(self, "review_on", REVIEW_ON)

    def clean(self):
        data = super().clean()
        for name, why in services.wording_problems(data).items():
            if name not in self.errors:
                self.add_error(name, why)
        return data


class AcceptForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressNote
        fields = ["status", "value", "body"]
        widgets = {"status": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": _("What happened since the last conversation")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ranges.apply(self.fields["value"], TARGET)


class PracticeForm(forms.Form):
    choice = forms.TypedChoiceField(
        label=_("Your response"), coerce=int, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, practice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [
            (i, r.text) for i, r in enumerate(practice.responses, start=1)
        ]


RESPONSES = 3


class SituationForm(forms.Form):
    """An organisation's own situation: the setting and up to three responses, at least
    two, with at least one that works, each saying why."""

    title = forms.CharField(label=_("Title"), max_length=120)
    setting = forms.CharField(
        label=_("The situation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happens, in a few sentences, ending with the question to the manager."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, RESPONSES + 1):
            self.fields[f"response_{i}"] = forms.CharField(
                label=_("Response %(n)s") % {"n": i}, max_length=400, required=i <= 2
            )
            self.fields[f"works_{i}"] = forms.BooleanField(
                label=_("This response works"), required=False
            )
            self.fields[f"why_{i}"] = forms.CharField(
                label=_("Why it works, or why not"),
                max_length=600,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        for i in range(1, RESPONSES + 1):
            if data.get(f"response_{i}") and not data.get(f"why_{i}"):
                self.add_error(f"why_{i}", _("Say why: it is what the manager learns from."))
        if not any(
            data.get(f"works_{i}") and data.get(f"response_{i}") for i in range(1, RESPONSES + 1)
        ):
            self.add_error("works_1", _("Mark at least one response that works."))
        return data

    def responses(self) -> list[tuple[str, bool, str]]:
        data = self.cleaned_data
        return [
            (data[f"response_{i}"], data[f"works_{i}"], data[f"why_{i}"])
            for i in range(1, RESPONSES + 1)
            if data.get(f"response_{i}")
        ]


class MomentForm(forms.ModelForm):
    """A coaching moment, logged in seconds: only the minutes are needed."""

    class Meta:
        model = CoachingMoment
        fields = ["person", "point", "minutes", "note", "on"]
        widgets = {"on": _date_widget()}

    def __init__(self, *args, team: Team, coach: User, **kwargs) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate(), "minutes": 15})
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = (
            User.objects.filter(memberships__team=team)
            .exclude(pk=coach.pk)
            .order_by("display_name", "email")
        )
        person.blank_label = _("The whole team")
        person.label_from_instance = str
        self.fields["point"].queryset = _current_points(team)
        self.fields["point"].blank_label = _("No particular point")
        ranges.apply(self.fields["minutes"], MINUTES)

    def clean_on(self):
        return _day(self, "on", MOMENT_ON)


class FeedbackForm(forms.ModelForm):
    anonymous = forms.BooleanField(
        label=_("Send it anonymously"),
        required=False,
        help_text=_("Nobody, the leader included, will know it came from you."),
    )

    class Meta:
        model = ModellingFeedback
        fields = ["leader", "shown", "point", "example"]
        widgets = {"shown": forms.RadioSelect, "example": forms.Textarea(attrs={"rows": 3})}
        labels = {"leader": _("Whose client conversation")}
        help_texts = {
            "example": _("What you saw or heard, in a sentence or two."),
        }

    def __init__(self, *args, team: Team, author: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        leader = self.fields["leader"]
        leader.queryset = (
            User.objects.filter(memberships__team=team, memberships__role__in=["lead", "manager"])
            .exclude(pk=author.pk)
            .order_by("display_name", "email")
        )
        leader.label_from_instance = str
        self.fields["point"].queryset = _current_points(team)
        self.fields["point"].blank_label = _("No particular point")
