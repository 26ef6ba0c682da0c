from datetime import timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.models import OPTIONAL_KINDS
from teams.models import Team

from .models import DURATION, FIRST_MEETING, MOVED_TO, Occurrence, SteeringMeeting
from .recurrence import clean_custom_rule, local_starts, rule_for
from .services import horizon_end, local_to_utc

OFFSET_CHOICES = [
    (10, _("10 minutes before")),
    (60, _("1 hour before")),
    (3 * 60, _("3 hours before")),
    (24 * 60, _("1 day before")),
    (2 * 24 * 60, _("2 days before")),
    (7 * 24 * 60, _("1 week before")),
]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, initial=_("Steering meeting"))
    frequency = forms.ChoiceField(
        label=_("Repeats"),
        choices=SteeringMeeting.Frequency.choices,
        initial=SteeringMeeting.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        help_text=_("Monthly repeats on the same weekday: a first Tuesday stays a first Tuesday."),
    )
    custom_rule = forms.CharField(
        label=_("Custom rule"),
        required=False,
        max_length=300,
        help_text=_(
            "Only for a custom rule, in iCalendar RRULE form, e.g. FREQ=MONTHLY;BYDAY=-1FR."
        ),
    )
    start_date = forms.DateField(
        label=_("First meeting on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=60, **DURATION.form_kwargs()
    )
    location = forms.CharField(label=_("Place or video link"), max_length=300, required=False)
    everyone = forms.BooleanField(
        label=_("The whole team takes part"), required=False, initial=True
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only used when the whole team does not take part."),
    )
    reminder_offsets = forms.TypedMultipleChoiceField(
        label=_("E-mail reminders"),
        choices=OFFSET_CHOICES,
        coerce=int,
        required=False,
        initial=[24 * 60, 60],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["participants"].queryset = User.objects.filter(memberships__team=team).order_by(
            "display_name"
        )
        self.fields["start_time"].help_text = _("In the team's time zone (%(tz)s).") % {
            "tz": team.time_zone
        }

    @classmethod
    def initial_for(cls, meeting: SteeringMeeting) -> dict:
        return {
            "title": meeting.title,
            "frequency": meeting.frequency,
            "custom_rule": meeting.rrule if meeting.frequency == "custom" else "",
            "start_date": meeting.start_date,
            "start_time": meeting.start_time,
            "duration_minutes": meeting.duration_minutes,
            "location": meeting.location,
            "everyone": meeting.everyone,
            "participants": list(meeting.participants.all()),
            "reminder_offsets": meeting.reminder_offsets,
        }

    def clean_start_date(self):
        day = self.cleaned_data["start_date"]
        why = FIRST_MEETING.refusal(day, timezone.localdate())
        if why:
            raise ValidationError(why)
        return day

    def clean(self) -> dict:
        data = super().clean()
        frequency, start_date = data.get("frequency"), data.get("start_date")
        if frequency == SteeringMeeting.Frequency.CUSTOM:
            try:
                data["custom_rule"] = clean_custom_rule(data.get("custom_rule", ""))
            except ValidationError as error:
                self.add_error("custom_rule", error)
                return data
        if frequency and start_date and data.get("start_time"):
            rule = rule_for(frequency, start_date, data.get("custom_rule", ""))
            now = timezone.now()
            starts = local_starts(
                rule=rule,
                start_date=start_date,
                start_time=data["start_time"],
                tz_name=self.team.time_zone,
                since=now,
                until=horizon_end(now=now, tz_name=self.team.time_zone),
            )
            if not starts:
                raise ValidationError(
                    _("This schedule gives no meeting in the coming three months.")
                )
        if not data.get("everyone") and not data.get("participants"):
            self.add_error("participants", _("Choose the participants, or invite the whole team."))
        return data


class OccurrenceMoveForm(forms.Form):
    day = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(
        label=_("New time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), **DURATION.form_kwargs())

    def __init__(self, *args, occurrence: Occurrence, **kwargs) -> None:
        self.occurrence = occurrence
        tz = occurrence.meeting.time_zone
        local = occurrence.starts_at.astimezone(ZoneInfo(tz))
        length = (occurrence.ends_at - occurrence.starts_at) // timedelta(minutes=1)
        kwargs.setdefault(
            "initial", {"day": local.date(), "at": local.time(), "duration_minutes": length}
        )
        super().__init__(*args, **kwargs)
        self.fields["at"].help_text = _("In the team's time zone (%(tz)s).") % {"tz": tz}

    def clean_day(self):
        day = self.cleaned_data["day"]
        why = MOVED_TO.refusal(day, timezone.localdate())
        if why:
            raise ValidationError(why)
        return day

    def clean(self) -> dict:
        data = super().clean()
        if data.get("day") and data.get("at"):
            starts_at = local_to_utc(
                day=data["day"], at=data["at"], tz_name=self.occurrence.meeting.time_zone
            )
            if starts_at <= timezone.now():
                raise ValidationError(_("Choose a time in the future."))
            data["starts_at"] = starts_at
        return data


class AgendaItemForm(forms.Form):
    text = forms.CharField(
        label=_("Add an item to the agenda"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("What should we talk about?")}),
    )


class MinutesForm(forms.Form):
    where_we_stand = forms.CharField(
        label=_("Where we stand"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    what_works = forms.CharField(
        label=_("What is working"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    holding_back = forms.CharField(
        label=_("What is holding us back"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people: list[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.filter(
            pk__in=[p.pk for p in people]
        ).order_by("display_name")
        # Reuse the list already loaded rather than querying the choices again.
        self.fields["attendees"].choices = [(p.pk, p.display_name or p.email) for p in people]


class ReminderPreferencesForm(forms.Form):
    enabled = forms.MultipleChoiceField(
        label=_("E-mail me about"),
        choices=[(kind.value, kind.label) for kind in OPTIONAL_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
