"""The forms of /settings/calendars/: connect an account, choose its calendars."""

from __future__ import annotations

from django import forms

from openhelp.directory.calendars.models import CalendarConnection

NOT_READ = ("", "Do not read busy times")
NOT_WRITTEN = ("", "Do not write bookings")


class ConnectForm(forms.Form):
    server_url = forms.URLField(
        label="CalDAV server address",
        max_length=500,
        assume_scheme="https",
        help_text="For example https://cloud.example.org/remote.php/dav (Nextcloud), "
        "https://caldav.fastmail.com/ (Fastmail) or https://caldav.icloud.com/ (iCloud).",
    )
    username = forms.CharField(label="User name", max_length=200)
    password = forms.CharField(
        label="App password",
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Create an app password in your calendar account; we store it encrypted.",
    )


class ChooseForm(forms.Form):
    busy_calendar_url = forms.ChoiceField(label="Read busy times from", required=False)
    write_calendar_url = forms.ChoiceField(label="Write bookings into", required=False)

    def __init__(self, *args, connection: CalendarConnection, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "busy_calendar_url": connection.busy_calendar_url,
                "write_calendar_url": connection.write_calendar_url,
            },
        )
        super().__init__(*args, **kwargs)
        choices = [(item["url"], item["name"]) for item in connection.calendars]
        busy, write = self.fields["busy_calendar_url"], self.fields["write_calendar_url"]
        assert isinstance(busy, forms.ChoiceField) and isinstance(write, forms.ChoiceField)  # noqa: S101
        busy.choices = [NOT_READ, *choices]
        write.choices = [NOT_WRITTEN, *choices]
