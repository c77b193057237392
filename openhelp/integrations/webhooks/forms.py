"""The endpoint form: a URL, what it is for, and the events it receives (every event, or checkboxes)."""

from __future__ import annotations

from typing import Any

from django import forms

from openhelp.platform.outbox.kinds import KINDS


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="URL",
        max_length=2000,
        assume_scheme="https",
        help_text="Where to POST each event: a Teams or Discord bridge, Zapier, n8n, your own service.",
    )
    description = forms.CharField(
        max_length=200, required=False, help_text="What it is for, so the next organiser knows."
    )
    all_kinds = forms.BooleanField(
        label="Every event", required=False, help_text="Including kinds added in later versions."
    )
    kinds = forms.MultipleChoiceField(
        label="Events",
        required=False,
        choices=[(kind, kind) for kind in KINDS],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("all_kinds") and not data.get("kinds"):
            self.add_error("kinds", "Choose at least one event, or every event.")
        return data
