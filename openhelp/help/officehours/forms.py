"""Web forms for office hours. The rules live in the services; the forms only shape the input."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from openhelp.directory.people.models import Language
from openhelp.directory.programmes.access import programmes_of
from openhelp.directory.skills.forms import SkillField
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.officehours.booking import MAX_QUESTION, MAX_REASON, MAX_TOPIC
from openhelp.help.officehours.models import (
    HORIZON_WEEKS,
    SEATS,
    SLOT_MINUTES,
    WEEKDAY_NAMES,
    LocationKind,
    OfficeHours,
)
from openhelp.help.officehours.reminders import REMINDER_CHOICES
from openhelp.help.officehours.services import clean_block
from openhelp.platform.lib.dates import validate_in_range
from openhelp.platform.lib.forms import LongSelect
from openhelp.platform.lib.timezones import available_timezones

SKILL_FIELDS = ("skill_1", "skill_2", "skill_3")
FIELD_FOR = {"skills": "skill_1", "min_notice_minutes": "min_notice_hours"}
WEEKDAY_CHOICES = [(str(n), name) for n, name in enumerate(WEEKDAY_NAMES)]


def _zone_choices():
    return [(name, name.replace("_", " ")) for name in available_timezones()]


class BlockForm(forms.Form):
    title = forms.CharField(max_length=80, required=False, help_text="Optional, e.g. “Django drop-in”.")
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one weekday."},
    )
    start_time = forms.TimeField(
        label="Starts at (local time)", widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(label="Ends at (local time)", widget=forms.TimeInput(attrs={"type": "time"}))
    timezone = forms.ChoiceField(label="Time zone", choices=_zone_choices, widget=LongSelect)
    slot_minutes = forms.IntegerField(
        label="Slot length (minutes)", min_value=SLOT_MINUTES[0], max_value=SLOT_MINUTES[1], initial=20
    )
    buffer_minutes = forms.IntegerField(
        label="Break between slots (minutes)", min_value=0, max_value=60, initial=5
    )
    seats = forms.IntegerField(
        label="Seats per slot",
        min_value=SEATS[0],
        max_value=SEATS[1],
        initial=1,
        help_text="1 = one-to-one; more = group drop-in.",
    )
    skill_1 = SkillField(label="Focus skill", required=False)
    skill_2 = SkillField(label="Second focus skill", required=False)
    skill_3 = SkillField(label="Third focus skill", required=False)
    location_kind = forms.ChoiceField(
        label="Where you meet",
        choices=LocationKind.choices,
        widget=forms.RadioSelect,
        initial=LocationKind.ROOM,
    )
    place = forms.CharField(
        label="Place", max_length=200, required=False, help_text="For a place: room or address."
    )
    horizon_weeks = forms.IntegerField(
        label="Bookable up to (weeks ahead)",
        min_value=HORIZON_WEEKS[0],
        max_value=HORIZON_WEEKS[1],
        initial=2,
    )
    min_notice_hours = forms.IntegerField(
        label="Minimum notice (hours)", min_value=0, max_value=168, initial=2
    )
    daily_cap = forms.IntegerField(
        label="At most this many sessions a day",
        min_value=1,
        max_value=50,
        required=False,
        help_text="Empty: no cap.",
    )
    is_active = forms.BooleanField(label="Offer these office hours", required=False, initial=True)
    programme = forms.ModelChoiceField(
        label="Programme (optional)",
        queryset=None,
        required=False,
        empty_label="None — open to everyone",
        help_text="Scope these office hours to one of your programmes: its cancellation rules then apply.",
    )
    compare_timezone = forms.ChoiceField(
        label="Also show the preview in",
        choices=_zone_choices,
        widget=LongSelect,
        required=False,
        initial="UTC",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in SKILL_FIELDS:
            self.fields[name].set_user(user)

        self.fields["programme"].queryset = programmes_of(user)

    def clean(self):
        """Run the service's rules too, so every problem shows at once, each next to its field."""

        cleaned = super().clean()
        try:
            clean_block(self.block_fields(), mentor=self.user)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                target = FIELD_FOR.get(name, name)
                if target not in self.fields:
                    self.add_error(None, messages)
                elif target not in self.errors:
                    self.add_error(target, messages)
        return cleaned

    @classmethod
    def initial_for(cls, block: OfficeHours | None, *, timezone: str) -> dict:
        if block is None:
            return {
                "timezone": timezone,
                "weekdays": ["1"],
                "start_time": dt.time(10, 0),
                "end_time": dt.time(11, 0),
            }
        initial = {
            name: getattr(block, name)
            for name in (
                "title",
                "start_time",
                "end_time",
                "timezone",
                "slot_minutes",
                "buffer_minutes",
                "seats",
                "location_kind",
                "place",
                "horizon_weeks",
                "daily_cap",
                "is_active",
                "programme",
            )
        }
        initial["weekdays"] = [str(day) for day in block.weekdays]
        initial["min_notice_hours"] = block.min_notice_minutes // 60
        for name, skill in zip(SKILL_FIELDS, block.skills.all(), strict=False):
            initial[name] = skill.name
        return initial

    def block_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["weekdays"] = [int(day) for day in data.get("weekdays", [])]
        data["skills"] = [data.pop(name) for name in SKILL_FIELDS if data.get(name)]
        for name in SKILL_FIELDS:
            data.pop(name, None)
        data["min_notice_minutes"] = (data.pop("min_notice_hours", 0) or 0) * 60
        data.pop("compare_timezone", None)
        return data


class TimeOffForm(forms.Form):
    start_date = forms.DateField(
        label="First day off", validators=[validate_in_range], widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label="Last day off",
        required=False,
        validators=[validate_in_range],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: one day.",
    )
    block = forms.ModelChoiceField(
        label="Which office hours",
        queryset=OfficeHours.objects.none(),
        required=False,
        empty_label="All of them",
    )
    note = forms.CharField(max_length=120, required=False, help_text="Only you see it.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = OfficeHours.objects.filter(mentor=user)


class BookingForm(forms.Form):
    topic = forms.CharField(
        max_length=MAX_TOPIC,
        help_text="What you want to talk about, in a few words.",
        error_messages={"required": "Say in a few words what you want to talk about."},
    )
    question = forms.CharField(
        label="Your preparation question",
        max_length=MAX_QUESTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What should the mentor think about beforehand?",
    )
    ask = forms.ModelChoiceField(
        label="Link one of your asks (optional)",
        queryset=Ask.objects.none(),
        required=False,
        empty_label="No ask",
    )

    def __init__(self, *args, mentee, mentor_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ask"].queryset = Ask.objects.filter(
            mentee=mentee, helper_id=mentor_id, state=AskState.ACCEPTED
        ).exclude(format="async")
        if not self.fields["ask"].queryset.exists():
            del self.fields["ask"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}), help_text="The other person sees it."
    )


class RescheduleForm(ReasonForm):
    slot = forms.ChoiceField(label="New time", widget=forms.RadioSelect)

    field_order = ["slot", "reason"]

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = choices


class RemindersForm(forms.Form):
    reminders = forms.MultipleChoiceField(
        label="Remind me",
        choices=[(str(v), label) for v, label in REMINDER_CHOICES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProposeTimesForm(forms.Form):
    time_1 = forms.DateTimeField(
        label="First time",
        validators=[validate_in_range],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    time_2 = forms.DateTimeField(
        label="Second time (optional)",
        required=False,
        validators=[validate_in_range],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    time_3 = forms.DateTimeField(
        label="Third time (optional)",
        required=False,
        validators=[validate_in_range],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    location = forms.CharField(max_length=300, help_text="A meeting link, a room or a phone number.")


class WeekFilterForm(forms.Form):
    skill = forms.CharField(required=False, max_length=80, help_text="A skill or an abbreviation.")
    day = forms.DateField(
        required=False, validators=[validate_in_range], widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ModelChoiceField(
        queryset=Language.objects.all(), required=False, empty_label="Any language"
    )
    fit = forms.BooleanField(label="Only during my working hours", required=False)
