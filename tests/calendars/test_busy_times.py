"""Busy times from a real Radicale hide the right office-hours slots; incremental sync follows changes;
a busy time that arrives after the listing stops the booking at its lock."""

from __future__ import annotations

import datetime as dt

import pytest

from openhelp.directory.calendars.models import BusyInterval, CalendarConnection, ConnectionStatus
from openhelp.directory.calendars.services import choose_calendars, connect
from openhelp.directory.calendars.sync import sync_connection
from openhelp.help.officehours.booking import book_slot
from openhelp.help.officehours.errors import Overlap
from tests.calendars.radicale_server import ACCOUNTS
from tests.factories_calendars import connect_directly
from tests.factories_officehours import slots_of

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("radicale")]  # one Radicale per run

BERLIN_SUMMER = dt.timezone(dt.timedelta(hours=2))


def ics(uid: str, body: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20250601T000000Z\r\n{body}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


WEEKLY = ics(
    "weekly@test",
    # Tuesdays 09:00–10:00 Berlin (07:00Z in summer), five weeks, but not on 10 June.
    "DTSTART:20250603T070000Z\r\nDTEND:20250603T080000Z\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\n"
    "EXDATE:20250610T070000Z\r\nSUMMARY:Team meeting\r\n",
)
FREE = ics(
    "free@test",
    "DTSTART:20250604T070000Z\r\nDTEND:20250604T080000Z\r\nTRANSP:TRANSPARENT\r\nSUMMARY:Focus (free)\r\n",
)
NORMAL = ics("dentist@test", "DTSTART:20250605T080000Z\r\nDTEND:20250605T083000Z\r\nSUMMARY:Dentist\r\n")
ALL_DAY = ics(
    "holiday@test", "DTSTART;VALUE=DATE:20250606\r\nDTEND;VALUE=DATE:20250607\r\nSUMMARY:Day off\r\n"
)


def berlin_starts(block, day: int) -> list[str]:
    """The open slots' Berlin start times on a day of June 2025."""
    return [
        f"{slot.start.astimezone(BERLIN_SUMMER):%H:%M}"
        for slot in slots_of(block, days=21)
        if slot.start.astimezone(BERLIN_SUMMER).date() == dt.date(2025, 6, day)
    ]


ALL = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


@pytest.fixture
def calendar_url(radicale):
    url = radicale.new_calendar("mira")
    for name, text in [
        ("weekly.ics", WEEKLY),
        ("free.ics", FREE),
        ("dentist.ics", NORMAL),
        ("day.ics", ALL_DAY),
    ]:
        radicale.put("mira", url, name, text)
    return url


def test_connect_discovers_the_calendars_and_a_sync_hides_the_busy_slots(
    radicale, calendar_url, mentor, block
):
    connection = connect(user=mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"])
    assert calendar_url in [item["url"] for item in connection.calendars]
    assert connection.status == ConnectionStatus.CHOOSE
    choose_calendars(user=mentor, busy_calendar_url=calendar_url, write_calendar_url="")
    assert berlin_starts(block, 3) == ALL  # nothing is busy before the first sync

    assert sync_connection(connection.pk) == "full"

    assert berlin_starts(block, 3) == ["10:00", "10:30", "11:00", "11:30"]  # the weekly meeting
    assert berlin_starts(block, 10) == ALL  # its EXDATE
    assert berlin_starts(block, 17) == ["10:00", "10:30", "11:00", "11:30"]  # the next instance
    assert berlin_starts(block, 4) == ALL  # the free (transparent) event
    assert berlin_starts(block, 5) == ["09:00", "09:30", "10:30", "11:00", "11:30"]  # the dentist
    assert berlin_starts(block, 6) == []  # an all-day event: the whole day in Berlin
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.OK and connection.last_synced_at is not None
    assert connection.password == ACCOUNTS["mira"]  # readable by us, stored encrypted


def test_the_password_is_encrypted_at_rest(radicale, calendar_url, mentor):
    connect_directly(
        mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"], calendar_url=calendar_url
    )
    raw = CalendarConnection.objects.filter(user=mentor).values_list("password", flat=True).query
    from django.db import connection as db

    with db.cursor() as cursor:
        cursor.execute(*raw.sql_with_params())
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1:") and ACCOUNTS["mira"] not in stored


def test_incremental_sync_picks_up_a_new_and_a_deleted_event(radicale, calendar_url, mentor, block):
    connection = connect_directly(
        mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"], calendar_url=calendar_url
    )
    assert sync_connection(connection.pk) == "full"
    assert sync_connection(connection.pk) == "unchanged"  # same sync token: nothing fetched

    radicale.put(
        "mira",
        calendar_url,
        "new.ics",
        ics("new@test", "DTSTART:20250609T090000Z\r\nDTEND:20250609T093000Z\r\n"),
    )
    radicale.delete("mira", calendar_url + "dentist.ics")
    assert sync_connection(connection.pk) == "changes"

    assert berlin_starts(block, 9) == ["09:00", "09:30", "10:00", "10:30", "11:30"]  # 11:00 is now busy
    assert berlin_starts(block, 5) == ALL  # the dentist was deleted
    assert berlin_starts(block, 3) == ["10:00", "10:30", "11:00", "11:30"]  # the rest is kept
    assert set(BusyInterval.objects.filter(connection=connection).values_list("uid", flat=True)) == {
        "weekly@test",
        "holiday@test",
        "new@test",
    }


def test_a_forgotten_sync_token_falls_back_to_a_full_refresh(radicale, calendar_url, mentor):
    connection = connect_directly(
        mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"], calendar_url=calendar_url
    )
    sync_connection(connection.pk)
    CalendarConnection.objects.filter(pk=connection.pk).update(sync_token="http://radicale.org/ns/sync/bogus")
    radicale.put(
        "mira",
        calendar_url,
        "new.ics",
        ics("new@test", "DTSTART:20250609T090000Z\r\nDTEND:20250609T093000Z\r\n"),
    )

    assert sync_connection(connection.pk) == "full"
    assert BusyInterval.objects.filter(connection=connection, uid="new@test").count() == 1


def test_a_busy_time_that_arrived_after_the_listing_stops_the_booking(
    radicale, calendar_url, mentor, mentee, block
):
    connection = connect_directly(
        mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"], calendar_url=calendar_url
    )
    slot = next(s for s in slots_of(block) if s.start == dt.datetime(2025, 6, 9, 9, 0, tzinfo=dt.UTC))
    radicale.put(
        "mira",
        calendar_url,
        "late.ics",
        ics("late@test", "DTSTART:20250609T090000Z\r\nDTEND:20250609T100000Z\r\n"),
    )
    sync_connection(connection.pk)

    with pytest.raises(Overlap, match="This time is no longer free"):
        book_slot(mentee=mentee, office_hours=block, start=slot.start, topic="Indexes")


def test_the_listing_reads_busy_times_in_one_query(
    radicale, calendar_url, mentor, block, django_assert_max_num_queries
):
    connection = connect_directly(
        mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"], calendar_url=calendar_url
    )
    sync_connection(connection.pk)
    slots_of(block)  # warm caches (content types, …)
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(db) as queries:
        slots_of(block, days=56)
    assert sum("calendars_busyinterval" in q["sql"] for q in queries.captured_queries) == 1


def test_the_periodic_job_syncs_every_connection(
    radicale, calendar_url, mentor, django_capture_on_commit_callbacks
):
    from openhelp.directory.calendars.tasks import sync_all_task
    from openhelp.platform.core.periodic import registered_jobs
    from tests.harness.tasks import run_pending_tasks

    job = next(job for job in registered_jobs() if job.name == "calendars.sync")
    assert job.every == dt.timedelta(minutes=10) and job.task is sync_all_task
    connection = connect_directly(
        mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"], calendar_url=calendar_url
    )
    assert sync_all_task.call() == 1
    run_pending_tasks()
    connection.refresh_from_db()
    assert connection.last_synced_at is not None
    assert BusyInterval.objects.filter(connection=connection).exists()


def test_a_failing_sync_is_shown_on_the_connection_and_keeps_the_cache(radicale, calendar_url, mentor):
    connection = connect_directly(
        mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"], calendar_url=calendar_url
    )
    sync_connection(connection.pk)
    kept = BusyInterval.objects.filter(connection=connection).count()
    connection.password = "revoked-app-password"
    connection.save()

    assert sync_connection(connection.pk) == "failed"
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.FAILING
    assert "refused the user name or password" in connection.last_error
    assert BusyInterval.objects.filter(connection=connection).count() == kept > 0
