"""The demo activity: every state is there, the same seed gives the same activity, the demo logins see
their part of it, and the history has the shapes organisers' insights look for."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from openhelp.community.goals.models import LearningGoal
from openhelp.community.moments.models import Introduction, Moment
from openhelp.community.recognition.models import Endorsement, Kudos
from openhelp.demo import data
from openhelp.demo.services import seed_demo
from openhelp.directory.library.models import LibraryEntry
from openhelp.help.asks.models import Ask, AskEvent, AskState, Message
from openhelp.help.mentoring.models import Debrief, Session
from openhelp.help.officehours.models import (
    Booking,
    BookingEvent,
    BookingState,
    OfficeHours,
    Slot,
    WaitlistEntry,
)
from openhelp.help.routing.models import Offer
from openhelp.platform.accounts.models import User
from tests.demo.test_seed_demo import _wipe

TODAY = dt.date(2026, 3, 4)  # a Wednesday
MOMENT = dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db

ACTIVITY_MODELS = [
    Ask,
    AskEvent,
    Message,
    Offer,
    OfficeHours,
    Slot,
    Booking,
    BookingEvent,
    WaitlistEntry,
    Session,
    Debrief,
    Kudos,
    Endorsement,
    Moment,
    Introduction,
    LibraryEntry,
    LearningGoal,
]


def _fingerprint() -> str:
    """Every activity row, with people as e-mail addresses and without primary keys or save times."""
    emails = dict(User.objects.values_list("pk", "email"))
    tables = {}
    for model in ACTIVITY_MODELS:
        people = {f.attname for f in model._meta.concrete_fields if f.is_relation and f.related_model is User}
        links = {f.attname for f in model._meta.concrete_fields if f.is_relation} - people
        rows = []
        for row in model.objects.values():
            for name in ("id", "updated_at", *links):
                row.pop(name, None)
            rows.append({k: emails.get(v) if k in people else v for k, v in row.items()})
        tables[model.__name__] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def test_it_seeds_the_same_activity_from_the_same_seed():
    seed_demo(people=90, seed=7, today=TODAY)
    first = _fingerprint()
    assert Ask.objects.exists() and Session.objects.exists()
    _wipe()
    seed_demo(people=90, seed=7, today=TODAY)
    assert _fingerprint() == first
    _wipe()
    seed_demo(people=90, seed=8, today=TODAY)
    assert _fingerprint() != first


def _login(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_demo_logins_see_their_part_of_the_activity():
    seed_demo(people=120, seed=42)  # today: pending offers and upcoming bookings are live right now
    mentee = _login(data.MENTEE_EMAIL)
    page = mentee.get(reverse("asks:list")).content.decode()
    for title in (
        "Why is our checkout query slow?",
        "Kubernetes deploys without fear",
        "Read my first A/B test",
    ):
        assert title in page
    sam = User.objects.get(email=data.MENTEE_EMAIL)
    states = set(Ask.objects.filter(mentee=sam).values_list("state", flat=True))
    assert states == {state.value for state in AskState}
    for ask in Ask.objects.filter(mentee=sam):
        assert mentee.get(reverse("asks:detail", args=[ask.pk])).status_code == 200
    upcoming = Booking.objects.filter(
        mentee=sam, state=BookingState.CONFIRMED, start__gt=dt.datetime.now(dt.UTC)
    )
    assert upcoming.count() >= 2
    assert "Demonstrated" in mentee.get(reverse("people:me"), follow=True).content.decode()
    assert "of 3 moments this week" in mentee.get(reverse("moments:list")).content.decode()
    assert "Get confident with PostgreSQL performance" in mentee.get(reverse("goals:list")).content.decode()
    for session in Session.objects.involving(sam):
        assert mentee.get(reverse("mentoring:detail", args=[session.pk])).status_code == 200

    mentor = _login(data.MENTOR_EMAIL)
    response = mentor.get(reverse("routing:inbox"))
    assert response.status_code == 200
    assert len(response.context["pending"]) >= 4
    assert "Teaches PostgreSQL at level 5." in response.content.decode()
    priya = User.objects.get(email=data.MENTOR_EMAIL)
    assert Kudos.objects.filter(receiver=priya).exists()
    assert Session.objects.filter(mentor=priya, debrief__isnull=False).count() >= 3

    olivia = User.objects.get(email=data.ORGANISER_EMAIL)
    assert Introduction.objects.filter(introducer=olivia).count() >= 2
    assert _login(data.ORGANISER_EMAIL).get(reverse("moments:introductions")).status_code == 200


def test_it_can_seed_people_without_activity_and_says_what_it_seeded():
    out = StringIO()
    call_command("seed_demo", "--people", "30", "--no-activity", stdout=out)
    assert User.objects.count() == 31 and not Ask.objects.exists() and not Session.objects.exists()
    assert "Activity:" not in out.getvalue()
    _wipe()
    out = StringIO()
    call_command("seed_demo", "--people", "60", stdout=out)
    text = out.getvalue()
    assert "Activity:" in text and "unmatched" in text and "skill gaps:" in text
    assert Ask.objects.filter(state=AskState.SCHEDULED).exists()
