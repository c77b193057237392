"""The inbox forms: decline with a reason, and 'pause me until …'. Services check the same rules again."""

from __future__ import annotations

import datetime as dt

from django import forms

from openhelp.help.routing.models import DeclineReason
from openhelp.help.routing.services import MAX_NOTE, MENTOR_DECLINE_REASONS
from openhelp.platform.lib.clock import now


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why not?",
        choices=[(r.value, r.label) for r in MENTOR_DECLINE_REASONS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason: not my area, no time this week, or other."},
    )
    note = forms.CharField(
        label="Note (optional; needed for “other”)",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.TextInput(attrs={"maxlength": MAX_NOTE}),
    )

    def __init__(self, *args, offer_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if offer_id is not None:
            # Several decline forms share a page: unique ids keep every label tied to its own field.
            self.auto_id = f"id_offer{offer_id}_%s"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == DeclineReason.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say in a few words why, so we route it better next time.")
        return cleaned


class PauseForm(forms.Form):
    until = forms.DateField(
        label="Pause me until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="No new offers before this day; offers waiting for you now are passed on politely.",
        error_messages={
            "required": "Choose the day you are back.",
            "invalid": "Enter a date like 2025-03-31.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tomorrow = now().date() + dt.timedelta(days=1)
        self.fields["until"].widget.attrs["min"] = tomorrow.isoformat()
