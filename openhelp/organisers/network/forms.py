"""The filters shared by the pages, the CSV downloads and the API: months, programme, team."""

from __future__ import annotations

from django import forms

from openhelp.organisers.insights.access import organised_programmes as programmes_for
from openhelp.organisers.network.scope import Scope, team_groups

MONTH_FORMATS = ["%Y-%m"]


class NetworkFilterForm(forms.Form):
    start = forms.DateField(
        required=False,
        input_formats=MONTH_FORMATS,
        label="From month",
        help_text="YYYY-MM, e.g. 2025-01. Empty: from the first month.",
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    end = forms.DateField(
        required=False,
        input_formats=MONTH_FORMATS,
        label="To month",
        help_text="YYYY-MM, included. Empty: up to this month.",
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    programme = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Everyone", to_field_name="slug"
    )
    team = forms.CharField(
        required=False, max_length=80, help_text="Teams under 5 people are merged into Other."
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        choices = programmes_for(user)
        self.fields["programme"].queryset = choices
        if not user.is_organiser:
            # A programme organiser sees their own programmes' members only: one must be chosen.
            self.fields["programme"].required = True
            self.fields["programme"].empty_label = None
        self.groups = None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The last month must not be before the first month.")
        if self.errors.get("programme"):
            return cleaned
        self.groups = team_groups(cleaned.get("programme"))
        team = cleaned.get("team")
        if team and team not in self.groups.shown:
            self.add_error(
                "team", "Choose one of the teams shown (teams under 5 people are merged into Other)."
            )
        return cleaned

    def scope(self) -> Scope:
        """The validated filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return Scope(
            start=data.get("start"),
            end=data.get("end"),
            programme=data.get("programme"),
            team=data.get("team") or None,
            groups=self.groups,
        )


def filter_form(request_data, *, user) -> NetworkFilterForm:
    """Bound to the query string (an empty one is valid: everything, all time)."""
    data = request_data.copy()
    if "programme" not in data and not user.is_organiser:
        first = programmes_for(user).order_by("name", "pk").values_list("slug", flat=True).first()
        if first:
            data["programme"] = first
    return NetworkFilterForm(data, user=user)
