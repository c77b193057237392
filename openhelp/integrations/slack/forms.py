from __future__ import annotations

from django import forms

from openhelp.integrations.slack.services import MAX_CAP


class PreferencesForm(forms.Form):
    status_opt_in = forms.BooleanField(
        label="Show “open to help” as my Slack status",
        required=False,
        help_text="Kept in step with your capacity and pause. Needs your permission in Slack once.",
    )
    digest_opt_in = forms.BooleanField(label="Send me a weekly digest in Slack", required=False)


class WorkspaceForm(forms.Form):
    enabled = forms.BooleanField(
        label="The app may post in this workspace",
        required=False,
        help_text="Switch off to silence it at once (the kill switch); nothing is deleted.",
    )
    daily_message_cap = forms.IntegerField(
        label="Direct messages per day, at most",
        min_value=0,
        max_value=MAX_CAP,
        help_text="Once reached, further messages that day are not sent (the in-app notification stays).",
    )
