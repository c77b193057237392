from __future__ import annotations

from django import forms

from openhelp.directory.programmes.models import Programme
from openhelp.organisers.imports.parsing import MAX_BYTES, FileRejected, decode_csv_bytes


class UploadForm(forms.Form):
    file = forms.FileField(
        label="People file (CSV, UTF-8)",
        help_text=f"Up to {MAX_BYTES // 1024 // 1024} MB. You will see a preview before anything changes.",
    )

    def clean_file(self) -> str:
        """The file's text; the decoded text replaces the upload in cleaned_data."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
                "Split it into smaller files."
            )
        try:
            return decode_csv_bytes(upload.read())
        except FileRejected as rejected:
            raise forms.ValidationError(rejected.error.message) from rejected


class ApplyForm(forms.Form):
    send_invitations = forms.BooleanField(
        required=False,
        label="Send invitations",
        help_text="E-mail each new person a link to choose a password. Without it, no e-mail is sent.",
    )
    programme = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No programme",
        label="Also add everyone in the file to a programme",
        help_text="Only programmes you organise. Each person added is told.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.organised_by(user).order_by("name", "pk")
