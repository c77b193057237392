from __future__ import annotations

from django import forms

from openhelp.community.goals.models import MAX_GOAL_SKILLS, MAX_TITLE, MAX_WHY
from openhelp.directory.skills.forms import SkillField

SKILL_FIELDS = [f"skill_{n}" for n in range(1, MAX_GOAL_SKILLS + 1)]
ERROR_FIELD = {"skills": "skill_1"}


class GoalForm(forms.Form):
    title = forms.CharField(
        label="Goal", max_length=MAX_TITLE, help_text="e.g. “Move into data analysis in 21 days”."
    )
    why = forms.CharField(
        label="Why it matters (optional)",
        required=False,
        max_length=MAX_WHY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target_date = forms.DateField(
        label="Target date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="A short horizon keeps it concrete: three weeks is a good start.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for n, name in enumerate(SKILL_FIELDS, start=1):
            self.fields[name] = SkillField(
                label=f"Skill {n}" + (" (optional)" if n > 1 else ""),
                user=user,
                required=n == 1,
                help_text="A skill you want to build." if n == 1 else "",
            )
        self.order_fields(["title", *SKILL_FIELDS, "target_date", "why"])

    def goal_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "why": data.get("why", ""),
            "target_date": data["target_date"],
            "skills": [data[name] for name in SKILL_FIELDS if data.get(name) is not None],
        }

    @staticmethod
    def initial_for(goal) -> dict:
        initial = {"title": goal.title, "why": goal.why, "target_date": goal.target_date}
        initial.update(zip(SKILL_FIELDS, goal.skills.all(), strict=False))
        return initial

    @property
    def skill_fields(self):
        return [self[name] for name in SKILL_FIELDS]
