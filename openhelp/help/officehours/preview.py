"""The editor's live preview: the next two weeks of a (possibly unsaved) block, in the mentor's zone and in
one other zone of their choice. Pure expansion; bookings do not change what the rule offers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openhelp.help.officehours.slots import Rule, expand_between, zone

PREVIEW_DAYS = 14


@dataclass(frozen=True)
class PreviewSlot:
    mine: dt.datetime
    other: dt.datetime

    @property
    def other_day_differs(self) -> bool:
        return self.mine.date() != self.other.date()


@dataclass(frozen=True)
class PreviewDay:
    day: dt.date
    slots: list[PreviewSlot]


def preview(
    rule: Rule, *, moment: dt.datetime, compare_zone: str, notice_minutes: int = 0, horizon_weeks: int = 8
) -> list[PreviewDay]:
    tz, other = zone(rule.timezone), zone(compare_zone)
    earliest = moment + dt.timedelta(minutes=notice_minutes)
    last_day = moment.astimezone(tz).date() + dt.timedelta(weeks=horizon_weeks)
    days: dict[dt.date, list[PreviewSlot]] = {}
    for slot in expand_between(rule, moment, moment + dt.timedelta(days=PREVIEW_DAYS)):
        if slot.start < earliest or slot.local_date > last_day:
            continue
        days.setdefault(slot.local_date, []).append(
            PreviewSlot(mine=slot.start.astimezone(tz), other=slot.start.astimezone(other))
        )
    return [PreviewDay(day=day, slots=slots) for day, slots in sorted(days.items())]
