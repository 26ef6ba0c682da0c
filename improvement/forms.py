from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config import ranges
from config.once import SentOnce
from teams.models import Team

from .models import (
    DUE_DATES,
    HOURS,
    TIME_BOX,
    ChangeIdea,
    Checkin,
    CheckinSettings,
    FocusArea,
    GapAnswer,
    GapMeeting,
    Phase,
    Question,
    Source,
)

# The follow-up looks back up to ten years, never forward.
SINCE = ranges.DayWindow(back=relativedelta(years=10), ahead=relativedelta())


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


def _team_people(team: Team):
    return User.objects.filter(memberships__team=team).order_by("display_name", "email")


class ChangeIdeaForm(SentOnce, forms.ModelForm):
    owner = OwnerField(label=_("Owner"), queryset=User.objects.none())

    class Meta:
        model = ChangeIdea
        fields = ["title", "focus_area", "owner", "next_step", "due_date", "indicator", "source"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "title": _(
                "A small, concrete step the team can try, e.g. “Call back every "
                "voicemail the same day”."
            ),
            "next_step": _("What happens next, and who does it."),
        }

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _team_people(team)
        # Ideas from a gap-analysis meeting are made in its wrap-up, not here.
        if self.instance.source != Source.GAP_ANALYSIS:
            self.fields["source"].choices = [
                (v, label) for v, label in Source.choices if v != Source.GAP_ANALYSIS
            ]
            self.fields["source"].required = False
            self.fields["source"].initial = Source.ANYONE
        else:
            del self.fields["source"]
        self.fields["indicator"].queryset = team.indicators.exclude(status="retired").order_by(
            "name"
        )

    def clean_source(self) -> str:
        return self.cleaned_data.get("source") or Source.ANYONE

    def clean_due_date(self):
        day = self.cleaned_data.get("due_date")
        written = self.instance.created_at if self.instance.pk else timezone.now()
        why = DUE_DATES.refusal(day, timezone.localdate(written))
        if why:
            raise forms.ValidationError(why)
        return day


class MoveForm(forms.Form):
    phase = forms.ChoiceField(label=_("Move to"), choices=Phase.choices)
    reason = forms.CharField(label=_("Why drop it?"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("phase") == Phase.DROPPED and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the idea is dropped: the team learns from it."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your feedback"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpForm(forms.Form):
    since = forms.DateField(
        label=_("Changes since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    stale = forms.IntegerField(
        label=_("No movement for (days)"), min_value=1, max_value=365, required=False
    )

    def clean_since(self):
        day = self.cleaned_data.get("since")
        why = SINCE.refusal(day, timezone.localdate())
        if why:
            raise forms.ValidationError(why)
        return day


class GapMeetingForm(forms.ModelForm):
    focus_area = forms.ChoiceField(
        label=_("Focus area"), choices=FocusArea.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = GapMeeting
        fields = [
            "focus_area",
            "focus_detail",
            "minutes_benefit",
            "minutes_obstacles",
            "minutes_actions",
            "minutes_wrapup",
        ]
        help_texts = {
            "focus_detail": _(
                "Needed for “Something else”; optional otherwise, e.g. "
                "“replies to the accounting department”."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("minutes_benefit", "minutes_obstacles", "minutes_actions", "minutes_wrapup"):
            ranges.apply(self.fields[name], TIME_BOX)

    def clean(self):
        data = super().clean()
        if data.get("focus_area") == FocusArea.OTHER and not data.get("focus_detail", "").strip():
            self.add_error("focus_detail", _("Name the area the team will work on."))
        return data


class AnswerForm(SentOnce, forms.ModelForm):
    question = forms.ChoiceField(choices=Question.choices, widget=forms.HiddenInput)

    class Meta:
        model = GapAnswer
        fields = ["question", "body", "anonymous"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}


class ControlForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("next", "add_time", "pause", "reveal", "close")]
    )
    question = forms.ChoiceField(choices=Question.choices, required=False)


class ArrangeForm(forms.Form):
    group_label = forms.CharField(label=_("Group"), max_length=80, required=False)
    highlighted = forms.NullBooleanField(required=False, widget=forms.HiddenInput)
    hidden = forms.NullBooleanField(required=False, widget=forms.HiddenInput)


class AnswerToIdeaForm(forms.Form):
    title = forms.CharField(label=_("Idea"), max_length=200)
    owner = OwnerField(label=_("Owner"), queryset=User.objects.none())
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _team_people(team)


class SummaryEmailsForm(forms.Form):
    wanted = forms.BooleanField(required=False)


class CheckinForm(forms.Form):
    """One yes / not yet per charter point, each with an optional example to share."""

    def __init__(self, *args, points, current: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.points = list(points)
        for point in self.points:
            previous = current.get(point.lineage)
            self.fields[f"answer_{point.pk}"] = forms.ChoiceField(
                label=point.coaching_question,
                choices=Checkin.Answer.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=previous.answer if previous else None,
            )
            self.fields[f"example_{point.pk}"] = forms.CharField(
                label=_("A short example"),
                max_length=300,
                required=False,
                initial=previous.example if previous else "",
                widget=forms.TextInput(attrs={"placeholder": _("What did you do, for whom?")}),
            )
            self.fields[f"share_{point.pk}"] = forms.BooleanField(
                label=_("Share this example with the team"),
                required=False,
                initial=previous.share_example if previous else False,
            )

    def rows(self):
        for point in self.points:
            yield (
                point,
                self[f"answer_{point.pk}"],
                self[f"example_{point.pk}"],
                self[f"share_{point.pk}"],
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(f"answer_{p.pk}") for p in self.points):
            raise forms.ValidationError(_("Answer at least one question."))
        for point in self.points:
            if data.get(f"example_{point.pk}", "").strip() and not data.get(f"answer_{point.pk}"):
                self.add_error(f"answer_{point.pk}", _("Answer the question for this example."))
        return data

    def answers(self) -> list:
        from .services import CheckinAnswer

        return [
            CheckinAnswer(
                point_id=point.pk,
                answer=self.cleaned_data[f"answer_{point.pk}"],
                example=self.cleaned_data[f"example_{point.pk}"],
                share_example=self.cleaned_data[f"share_{point.pk}"],
            )
            for point in self.points
            if self.cleaned_data.get(f"answer_{point.pk}")
        ]


class CheckinSettingsForm(forms.ModelForm):
    class Meta:
        model = CheckinSettings
        fields = ["weekday", "reminder_hour"]
        help_texts = {
            "weekday": _(
                "The home page asks everyone from this day on; the e-mail goes out that day."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ranges.apply(self.fields["reminder_hour"], HOURS)


class WantedForm(forms.Form):
    wanted = forms.BooleanField(required=False)
