"""A large demo organisation gets a year of activity in proportion to its size (openhelp/demo/activity/year.py),
checked on the smallest size that gets it. (The small demo gets none: its figures are pinned by
test_seed_demo.py and test_demo_activity.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Max, Min

from openhelp.community.moments.models import Moment
from openhelp.community.recognition.models import Endorsement, Kudos
from openhelp.demo.activity import build
from openhelp.demo.activity.year import Pace
from openhelp.demo.services import seed_demo
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.mentoring.models import Debrief, Session
from openhelp.help.officehours.models import Booking
from openhelp.help.routing.models import Offer, OfferState
from openhelp.platform.notifications.models import Notification
from tests.harness.database import empty_and_reseed

TODAY = dt.date(2026, 3, 2)
MOMENT = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
# Seeded once per run, in one test process (xdist_group), not in each process that draws one of these tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed-year")]


# The year starts at YEAR_FROM (1,000) people; the proportions are checked on 400, with the threshold
# lowered for the seed, so the suite pays for 400 people, not 1,000.
PEOPLE = 400


@pytest.fixture(scope="module")
def year_org(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "YEAR_FROM", PEOPLE)
        summary = seed_demo(people=PEOPLE, seed=3, today=TODAY)
        yield summary
        empty_and_reseed()  # not flush: that would also empty the rows the migrations seed (languages)


def test_a_year_of_asks_in_proportion_to_the_size(year_org):
    pace = Pace()
    older = Ask.objects.filter(created_at__lt=MOMENT - dt.timedelta(days=75))
    # Beyond the small demo's ten weeks, only the year's asks: ~pace.asks per person over ~290 days.
    expected = PEOPLE * pace.asks * (365 - 75) / (365 - 4)
    assert 0.85 * expected < older.count() < 1.15 * expected
    span = Ask.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert span["first"] < MOMENT - dt.timedelta(days=350)
    months = {d.month for d in older.values_list("created_at", flat=True)}
    assert len(months) >= 9  # spread over the year, not bunched
    states = dict(older.values_list("state").annotate(n=Count("id")))
    assert set(states) <= {AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED, AskState.UNMATCHED}
    assert 0.45 < states[AskState.COMPLETED] / older.count() < 0.75
    assert year_org.activity.total_asks == Ask.objects.count()


def test_offers_are_accepted_declined_and_expired(year_org):
    old = Offer.objects.filter(created_at__lt=MOMENT - dt.timedelta(days=75))
    states = dict(old.values_list("state").annotate(n=Count("id")))
    for state in (OfferState.ACCEPTED, OfferState.DECLINED, OfferState.EXPIRED):
        assert states.get(state, 0) > 20, states
    assert OfferState.PENDING not in states


def test_sessions_debriefs_bookings_and_recognition_over_the_year(year_org):
    old = MOMENT - dt.timedelta(days=120)
    assert Session.objects.filter(created_at__lt=old).count() > PEOPLE * 0.4
    assert Debrief.objects.filter(created_at__lt=old).count() > PEOPLE * 0.3
    weeks = {b.start.isocalendar()[:2] for b in Booking.objects.filter(start__lt=old)}
    assert len(weeks) > 20  # office hours held week after week for months, not only the last four
    assert Kudos.objects.filter(created_at__lt=old).count() > PEOPLE * 0.3
    assert Endorsement.objects.filter(created_at__lt=old).count() > PEOPLE * 0.1
    assert Moment.objects.filter(created_at__lt=old).count() > PEOPLE * 0.8


def test_notifications_one_per_event_and_person_read_when_old(year_org):
    notes = Notification.objects.all()
    assert notes.count() == year_org.activity.notifications > PEOPLE
    events = set(notes.values_list("event", flat=True).distinct())
    assert events == {"ask.offer.received", "ask.accepted", "kudos.received"}
    duplicates = notes.values("recipient", "event", "dedupe_key").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()
    assert not notes.filter(created_at__lt=MOMENT - dt.timedelta(days=3), read_at__isnull=True).exists()
    offer = Offer.objects.filter(created_at__lt=MOMENT - dt.timedelta(days=75)).first()
    told = notes.get(event="ask.offer.received", dedupe_key=f"offer:{offer.pk}")
    assert told.recipient_id == offer.mentor_id and told.url.endswith(f"/{offer.pk}/")
