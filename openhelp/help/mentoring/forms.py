"""Session forms: thin — the rules live in mentoring.services, .debriefs and .attendance."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator

from openhelp.directory.skills.models import Skill
from openhelp.help.mentoring import agenda
from openhelp.help.mentoring.attendance import MAX_LIFT_NOTE
from openhelp.help.mentoring.debriefs import MAX_FEEDBACK, MAX_RESOURCE_TITLE
from openhelp.help.mentoring.models import MAX_NOTES, AttendanceKind, Outcome

RESOURCE_ROWS = 5
_https = URLValidator(schemes=["https"])


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PlanForm(forms.Form):
    objective = forms.CharField(
        label="Objective", required=False, max_length=300, help_text="By the end I can …"
    )
    preparation_questions = forms.CharField(
        label="Preparation questions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, up to five.",
    )

    def clean_preparation_questions(self) -> list[str]:
        return lines(self.cleaned_data["preparation_questions"])


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label="Agenda template", choices=agenda.CHOICES, widget=forms.RadioSelect)


class StepForm(forms.Form):
    title = forms.CharField(label="New step", max_length=120)
    minutes = forms.IntegerField(label="Minutes (optional)", required=False, min_value=1, max_value=240)


class SharedNotesForm(forms.Form):
    body = forms.CharField(
        label="Shared notes",
        required=False,
        max_length=MAX_NOTES,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-draft": "shared"}),
        help_text="Both of you can edit these. Markdown works.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_shared_%s")  # both notes forms share a page and field names
        super().__init__(*args, **kwargs)


class PrivateNoteForm(forms.Form):
    body = forms.CharField(
        label="My private notes",
        required=False,
        max_length=MAX_NOTES,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-draft": "private"}),
        help_text="Only you can ever see these — not the other person, not organisers.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_private_%s")
        super().__init__(*args, **kwargs)


class DebriefForm(forms.Form):
    takeaways = forms.CharField(
        label="Takeaways",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: what you will remember from this session.",
    )
    outcome = forms.ChoiceField(
        label="Did it solve the problem?",
        required=False,
        # The empty choice says it skips the question: "No answer" under "Outcome" read as an outcome ("the
        # question got no answer"), and "Not said yet" next to "Not yet" as the same choice twice.
        choices=[
            ("", "Skip"),
            *[(v, "Not solved yet" if v == Outcome.NOT_YET else t) for v, t in Outcome.choices],
        ],
        widget=forms.RadioSelect,
    )
    rating = forms.TypedChoiceField(
        label="How helpful was it?",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "No rating")] + [(n, f"{n} of 5") for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    feedback_to_mentor = forms.CharField(
        label="Private feedback to your mentor (optional)",
        required=False,
        max_length=MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only your mentor sees this.",
    )
    consents_to_publish = forms.BooleanField(
        label="Publish our takeaways and resources to the library",
        required=False,
        help_text="Only when you both agree; notes, rating and feedback are never published.",
    )

    def __init__(self, *args, is_mentee: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_mentee = is_mentee
        if not is_mentee:
            del self.fields["rating"]
            del self.fields["feedback_to_mentor"]
        for n in range(1, RESOURCE_ROWS + 1):
            self.fields[f"resource_{n}_title"] = forms.CharField(
                label=f"Resource {n}: title", required=False, max_length=MAX_RESOURCE_TITLE
            )
            self.fields[f"resource_{n}_url"] = forms.CharField(
                label=f"Resource {n}: link",
                required=False,
                widget=forms.URLInput(attrs={"placeholder": "https://…"}),
            )

    @property
    def resource_rows(self):
        return [(self[f"resource_{n}_title"], self[f"resource_{n}_url"]) for n in range(1, RESOURCE_ROWS + 1)]

    @property
    def resource_rows_split(self) -> tuple[list, list]:
        """The rows in use and one empty row to show; the other empty rows, folded away (ten empty boxes
        on a phone made a two-minute debrief look like paperwork)."""
        rows = self.resource_rows
        used = [
            n
            for n, (title, url) in enumerate(rows, 1)
            if title.value() or url.value() or title.errors or url.errors
        ]
        shown = min(max(used, default=0) + 1, len(rows))
        return rows[:shown], rows[shown:]

    @staticmethod
    def initial_for(debrief, *, consents: bool) -> dict:
        if debrief is None:
            return {}
        initial = {
            "takeaways": "\n".join(debrief.takeaways),
            "outcome": debrief.outcome,
            "rating": debrief.rating,
            "feedback_to_mentor": debrief.feedback_to_mentor,
            "consents_to_publish": consents,
        }
        for n, resource in enumerate(debrief.resources[:RESOURCE_ROWS], 1):
            initial[f"resource_{n}_title"] = resource.get("title", "")
            initial[f"resource_{n}_url"] = resource.get("url", "")
        return initial

    def clean(self):
        data = super().clean()
        for n in range(1, RESOURCE_ROWS + 1):
            title = (data.get(f"resource_{n}_title") or "").strip()
            url = (data.get(f"resource_{n}_url") or "").strip()
            if url:
                try:
                    _https(url)
                except forms.ValidationError:
                    self.add_error(f"resource_{n}_url", "Use a full https:// link.")
                if not title:
                    self.add_error(f"resource_{n}_title", "Give this link a title.")
            elif title:
                self.add_error(f"resource_{n}_url", "Add the https:// link for this resource.")
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {
            "takeaways": lines(data["takeaways"]),
            "outcome": data["outcome"],
            "consents_to_publish": data["consents_to_publish"],
            "resources": [
                {"title": data[f"resource_{n}_title"], "url": data[f"resource_{n}_url"]}
                for n in range(1, RESOURCE_ROWS + 1)
                if data.get(f"resource_{n}_url")
            ],
        }
        if self.is_mentee:
            changes["rating"] = data["rating"]
            changes["feedback_to_mentor"] = data["feedback_to_mentor"]
        return changes


class EndorseForm(forms.Form):
    skill = forms.ModelChoiceField(
        label="Skill the mentee demonstrated", queryset=None, empty_label="Choose a skill"
    )

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["skill"].queryset = Skill.objects.filter(pk__in=[s.pk for s in skills]).order_by("name")


class AttendanceForm(forms.Form):
    kind = forms.ChoiceField(label="Did it happen?", choices=AttendanceKind.choices, widget=forms.RadioSelect)


class LiftForm(forms.Form):
    note = forms.CharField(label="Note (optional)", required=False, max_length=MAX_LIFT_NOTE)
