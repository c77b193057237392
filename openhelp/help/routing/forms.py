"""The inbox forms: decline with a reason, and 'pause me until …'. Services check the same rules again."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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

    def __init__(self, *args, offer_id: int | str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_id = None if offer_id is None else str(offer_id)
        if offer_id is not None:
            # Several decline forms share a page: unique ids keep every label tied to its own field.
            self.auto_id = f"id_offer{offer_id}_%s"

    def fields_html(self) -> SafeString:
        """The reason and note fields, each in its ``div.field``, as the offer cards show them.

        A page of offers shows one unbound form per offer, identical but for the offer id in the field ids:
        that HTML is rendered once per process (and language) and the id put in; a bound form (the answer
        to a rejected decline, with its errors) is rendered as it is."""
        if self.is_bound or self.offer_id is None:
            return _field_divs(self)
        html = _unbound_fields(get_language() or "").replace(_PLACEHOLDER, escape(self.offer_id))
        return mark_safe(html)  # noqa: S308 - Django's own rendering, with the id escaped

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == DeclineReason.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say in a few words why, so we route it better next time.")
        return cleaned


_PLACEHOLDER = "0OFFER0"  # stands for the offer id in the memoised HTML; no label or choice contains it


def _field_divs(form: DeclineForm) -> SafeString:
    """The form's two field groups (Django's rendering: legend, labels, errors), each in a ``div.field``."""
    return format_html(
        '<div class="field">{}</div>\n<div class="field">{}</div>',
        form["reason"].as_field_group(),
        form["note"].as_field_group(),
    )


@lru_cache(maxsize=8)
def _unbound_fields(language: str) -> str:
    """The unbound decline fields with the placeholder for the offer id (language: the memo's key)."""
    return str(_field_divs(DeclineForm(offer_id=_PLACEHOLDER)))


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
