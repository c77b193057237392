from __future__ import annotations

from django import forms


class BotForm(forms.Form):
    homeserver_url = forms.URLField(
        label="Homeserver URL",
        max_length=200,
        assume_scheme="https",
        help_text="The client-server API base, e.g. https://matrix.example.org",
    )
    user_id = forms.CharField(label="Bot user id", max_length=255, help_text="e.g. @openhelp:example.org")
    access_token = forms.CharField(
        label="Access token",
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the stored token.",
    )
    enabled = forms.BooleanField(label="Bot is on", required=False, initial=True)
