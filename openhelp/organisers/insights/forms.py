"""The filters every insights page, CSV and API call takes: date range, team, programme."""

from __future__ import annotations

import datetime as dt

from django import forms

from openhelp.organisers.insights.figures import Filters
from openhelp.platform.lib.dates import validate_in_range

MAX_DAYS = 3 * 366


class FilterForm(forms.Form):
    # Within the product's dates (lib.dates): the default range is counted back from the end, and from
    # year 1 that overflowed (a 500 on the page, the CSVs and the API).
    start = forms.DateField(
        required=False,
        label="From",
        validators=[validate_in_range],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        required=False,
        label="To",
        validators=[validate_in_range],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    team = forms.IntegerField(required=False, min_value=1, widget=forms.Select)
    programme = forms.IntegerField(required=False, min_value=1, widget=forms.Select)

    def __init__(self, *args, teams=(), programmes=(), whole_organisation: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].widget.choices = [("", "All teams"), *[(t.pk, t.name) for t in teams]]
        first = [("", "Whole organisation")] if whole_organisation else []
        self.fields["programme"].widget.choices = [*first, *[(p.pk, p.name) for p in programmes]]

    def clean(self):
        data = super().clean()
        default = Filters.default()
        start, end = data.get("start") or None, data.get("end") or None
        if "start" in self.errors or "end" in self.errors:
            return data
        end = end or (start + dt.timedelta(days=default.days - 1) if start else default.end)
        start = start or end - dt.timedelta(days=default.days - 1)
        if end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", f"Choose a range of at most {MAX_DAYS} days.")
        data["start"], data["end"] = start, end
        if not (self.data.get("start") and self.data.get("end")):
            # The boxes show the range the figures are for: two empty date boxes left an organiser guessing
            # which weeks they were looking at.
            self.data = self.data.copy()
            self.data["start"], self.data["end"] = start.isoformat(), end.isoformat()
        return data

    def filters(self, *, programme_id: int | None) -> Filters:
        data = self.cleaned_data
        return Filters(
            start=data["start"], end=data["end"], team_id=data.get("team"), programme_id=programme_id
        )
