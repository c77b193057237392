"""Factories for office hours: mentors with blocks, mentees, bookings, and helpers to find a slot."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from factory.django import DjangoModelFactory

from openhelp.help.officehours.availability import open_slots
from openhelp.help.officehours.models import (
    Booking,
    OfficeHours,
    PersonalCalendar,
    Slot,
    TimeOff,
    WaitlistEntry,
)
from openhelp.platform.lib.clock import now
from tests.factories import OpenToHelpProfileFactory, ProfileFactory, UserFactory

_counter = itertools.count()
ALL_WEEK = [0, 1, 2, 3, 4, 5, 6]


class OfficeHoursFactory(DjangoModelFactory):
    class Meta:
        model = OfficeHours
        skip_postgeneration_save = True

    mentor = factory.LazyFunction(lambda: make_mentor())
    title = "Django drop-in"
    weekdays = factory.LazyFunction(lambda: list(ALL_WEEK))
    start_time = dt.time(9, 0)
    end_time = dt.time(17, 0)
    timezone = "Europe/Berlin"
    slot_minutes = 30
    buffer_minutes = 0
    seats = 1
    location_kind = "place"
    place = "Room 4.12"
    horizon_weeks = 2
    min_notice_minutes = 0

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class TimeOffFactory(DjangoModelFactory):
    class Meta:
        model = TimeOff

    mentor = factory.SelfAttribute("office_hours.mentor")
    office_hours = factory.SubFactory(OfficeHoursFactory)
    start_date = factory.LazyFunction(lambda: now().date())
    end_date = factory.SelfAttribute("start_date")


class PersonalCalendarFactory(DjangoModelFactory):
    class Meta:
        model = PersonalCalendar
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


def make_mentor(
    *, timezone: str = "Europe/Berlin", sessions_per_week: int | None = None, name: str | None = None
):
    n = next(_counter)
    user = UserFactory(email=f"oh-mentor{n}@example.org", with_profile=False)
    OpenToHelpProfileFactory(
        user=user,
        display_name=name or f"Mentor {n}",
        timezone=timezone,
        sessions_per_week=sessions_per_week,
        meeting_link="https://meet.example.org/mentor",
    )
    return user


def make_mentee(*, timezone: str = "America/New_York", name: str | None = None):
    n = next(_counter)
    user = UserFactory(email=f"oh-mentee{n}@example.org", with_profile=False)
    ProfileFactory(user=user, display_name=name or f"Mentee {n}", timezone=timezone)
    return user


def slots_of(office_hours: OfficeHours, *, days: int = 14, viewer=None):
    """The open slots of one block over the next ``days`` days."""
    office_hours = OfficeHours.objects.select_related("mentor__profile").get(pk=office_hours.pk)
    moment = now()
    return open_slots([office_hours], start=moment, end=moment + dt.timedelta(days=days), viewer=viewer)


def first_slot(office_hours: OfficeHours, *, skip: int = 0, free: bool = True):
    """The first open slot (by default the first with a free seat), or the one ``skip`` places later."""
    slots = [s for s in slots_of(office_hours) if not (free and s.is_full)]
    assert len(slots) > skip, "the block has no open slot in the next two weeks"
    return slots[skip]


def book(
    office_hours: OfficeHours, mentee, *, skip: int = 0, topic: str = "Query plans", **kwargs
) -> Booking:
    from openhelp.help.officehours.booking import book_slot

    slot = first_slot(office_hours, skip=skip)
    return book_slot(
        mentee=mentee,
        office_hours=office_hours,
        start=slot.start,
        topic=topic,
        question="Why a seq scan?",
        **kwargs,
    )


__all__ = [
    "Booking",
    "OfficeHoursFactory",
    "PersonalCalendarFactory",
    "Slot",
    "TimeOffFactory",
    "WaitlistEntry",
    "book",
    "first_slot",
    "make_mentee",
    "make_mentor",
    "slots_of",
]
