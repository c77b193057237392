"""The kudos form: who is thanked comes from the page (a profile or a session), the rest is typed."""

from __future__ import annotations

from django import forms

from openhelp.community.recognition.models import MAX_KUDOS_MESSAGE
from openhelp.directory.skills.forms import SkillField


class KudosForm(forms.Form):
    skill = SkillField(
        label="For a skill (optional)",
        required=False,
        help_text="What they helped you with, e.g. “SQL” or “negotiation”.",
    )
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=MAX_KUDOS_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"One or two sentences, up to {MAX_KUDOS_MESSAGE} characters.",
    )
    public = forms.BooleanField(
        label="Show it on their profile and in the recognition feed",
        required=False,
        initial=True,
        help_text="Untick to keep it private: only the two of you will ever see it.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].set_user(user)
