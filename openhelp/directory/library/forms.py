from __future__ import annotations

from django import forms

from openhelp.directory.skills.forms import SkillField


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search takeaways", required=False, max_length=200)
    skill = SkillField(
        label="Skill", required=False, help_text="Entries on this skill and the skills within it."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].set_user(user)
