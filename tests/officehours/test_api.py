"""The office-hours API: blocks, slots in a zone, bookings with Idempotency-Key, changes, waiting list,
time off, calendar; structured errors; the schema; constant queries on lists."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openhelp.help.mentoring.models import Session
from openhelp.help.officehours.models import Booking, BookingState, OfficeHours, Slot, TimeOff
from openhelp.help.officehours.sessions import sync_booking_session_task
from tests.factories_officehours import OfficeHoursFactory, book, first_slot, make_mentee, make_mentor
from tests.harness.openapi import openapi_schema
from tests.harness.queries import assert_constant_queries
from tests.harness.tasks import queued_task_names, run_pending_tasks

from .conftest import client_for

V1 = "/api/v1"


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_a_mentor_manages_blocks_through_the_api(mentor_client, mentor, mentee_client):
    created = post(
        mentor_client,
        f"{V1}/office-hours/",
        {
            "weekdays": [1],
            "start_time": "10:00",
            "end_time": "11:30",
            "slot_minutes": 30,
            "seats": 4,
            "location_kind": "chat",
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["timezone"] == "Europe/Berlin" and body["seats"] == 4  # the mentor's zone by default
    url = f"{V1}/office-hours/{body['id']}/"
    assert patch(mentor_client, url, {"seats": 2}).json()["seats"] == 2
    bad = patch(mentor_client, url, {"end_time": "09:00"})
    assert bad.status_code == 400 and "end_time" in bad.json()["error"]["fields"]
    assert mentee_client.get(url).status_code == 404
    assert mentee_client.delete(url).status_code == 404
    assert mentor_client.delete(url).status_code == 204
    assert not OfficeHours.objects.exists()


def test_slots_come_in_the_zone_asked_for_with_the_mentors_local_time(mentee_client, mentor, block):
    response = mentee_client.get(
        f"{V1}/office-hours/slots/",
        {"mentor": mentor.pk, "start": "2025-06-02", "end": "2025-06-02", "tz": "Asia/Kathmandu"},
    )
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["start"] == "2025-06-02T12:45:00+05:45"
    assert first["mentor_local_start"] == "2025-06-02T09:00:00+02:00"
    assert (first["seats"], first["seats_left"], first["minutes"]) == (1, 1, 30)
    too_long = mentee_client.get(f"{V1}/office-hours/slots/", {"start": "2025-06-02", "end": "2025-09-02"})
    assert too_long.status_code == 400 and "end" in too_long.json()["error"]["fields"]


def test_slots_by_skill(mentee_client, block):
    from tests.factories import SkillFactory

    skill = SkillFactory(name="Terraform", slug="terraform")
    block.skills.set([skill])
    OfficeHoursFactory(mentor=make_mentor())
    by_name = mentee_client.get(f"{V1}/office-hours/slots/", {"skill": "Terraform"}).json()
    by_id = mentee_client.get(f"{V1}/office-hours/slots/", {"skill": str(skill.pk)}).json()
    assert {s["office_hours"] for s in by_name["results"]} == {block.pk}
    assert by_name["count"] == by_id["count"] > 0


def test_slots_for_a_skill_written_in_superscript_digits_are_none(mentee_client, block):
    # "²" passed isdigit() and int() refused it: a 500. It is no id: read as a name, no skill has it.
    response = mentee_client.get(f"{V1}/office-hours/slots/", {"skill": "²"})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("mentor_id", ["99999999999999999999", "0", "-1"])
def test_slots_of_a_mentor_id_out_of_range_is_a_field_error(mentee_client, block, mentor_id):
    response = mentee_client.get(f"{V1}/office-hours/slots/", {"mentor": mentor_id})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["mentor"]


def test_booking_with_an_idempotency_key_returns_the_same_booking_on_retry(mentee_client, block):
    slot = first_slot(block)
    body = {"office_hours": block.pk, "start": slot.start.isoformat(), "topic": "Indexes"}
    first = post(mentee_client, f"{V1}/bookings/", body, **{"Idempotency-Key": "abc-1"})
    again = post(mentee_client, f"{V1}/bookings/", body, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Booking.objects.count() == 1
    reused = post(
        mentee_client, f"{V1}/bookings/", {**body, "topic": "Other"}, **{"Idempotency-Key": "abc-1"}
    )
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"
    without_key = post(mentee_client, f"{V1}/bookings/", body)
    assert without_key.status_code == 409 and without_key.json()["error"]["code"] == "already_booked"


def test_booking_leaves_the_session_to_the_worker_and_reads_nothing_back(
    mentee_client, block, django_capture_on_commit_callbacks
):
    body = {"office_hours": block.pk, "start": first_slot(block).start.isoformat(), "topic": "Indexes"}
    with CaptureQueriesContext(connection) as request, django_capture_on_commit_callbacks(execute=True):
        response = post(mentee_client, f"{V1}/bookings/", body, **{"Idempotency-Key": "fast-1"})

    assert response.status_code == 201
    assert [event["kind"] for event in response.json()["history"]] == ["booked"]
    statements = [query["sql"] for query in request.captured_queries]
    assert not [sql for sql in statements if "mentoring_session" in sql or "mentoring_agendastep" in sql]
    assert not [sql for sql in statements if sql.startswith("SELECT") and "officehours_bookingevent" in sql]
    assert sync_booking_session_task.module_path in queued_task_names()
    run_pending_tasks()
    assert Session.objects.get(booking_id=response.json()["id"]).title == "Indexes"


def test_booking_errors_are_structured(mentee_client, block):
    slot = first_slot(block)
    book(block, make_mentee())
    full = post(
        mentee_client,
        f"{V1}/bookings/",
        {"office_hours": block.pk, "start": slot.start.isoformat(), "topic": "x"},
    )
    assert full.status_code == 409 and full.json()["error"]["code"] == "slot_full"
    odd = post(
        mentee_client,
        f"{V1}/bookings/",
        {"office_hours": block.pk, "start": (slot.start + dt.timedelta(minutes=7)).isoformat(), "topic": ""},
    )
    assert odd.status_code == 400 and "topic" in odd.json()["error"]["fields"]
    missing = post(
        mentee_client,
        f"{V1}/bookings/",
        {"office_hours": 999999, "start": slot.start.isoformat(), "topic": "x"},
    )
    assert missing.status_code == 400 and "office_hours" in missing.json()["error"]["fields"]
    key = post(mentee_client, f"{V1}/bookings/", {}, **{"Idempotency-Key": "x" * 300})
    assert key.status_code == 400 and list(key.json()["error"]["fields"]) == ["Idempotency-Key"]


def test_either_side_cancels_or_reschedules_and_outsiders_get_404(
    mentee_client, mentor_client, mentee, block
):
    booking = book(block, mentee)
    outsider = client_for(make_mentee())
    url = f"{V1}/bookings/{booking.pk}/"
    assert outsider.get(url).status_code == 404
    assert post(outsider, url + "cancel/", {"reason": "x"}).status_code == 404
    assert [b["id"] for b in mentor_client.get(f"{V1}/bookings/").json()["results"]] == [booking.pk]
    target = first_slot(block, skip=2)
    moved = post(
        mentee_client,
        url + "reschedule/",
        {"office_hours": block.pk, "start": target.start.isoformat(), "reason": "Later"},
    )
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    assert [e["kind"] for e in moved.json()["history"]] == ["booked", "rescheduled"]
    no_reason = post(mentor_client, url + "cancel/", {})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    cancelled = post(mentor_client, url + "cancel/", {"reason": "Ill"})
    assert cancelled.json()["state"] == BookingState.CANCELLED and cancelled.json()["late_cancellation"]
    again = post(mentor_client, url + "cancel/", {"reason": "Ill"})  # a retry: the same answer
    assert again.status_code == 200 and again.json() == cancelled.json()
    moved_again = post(
        mentee_client,
        url + "reschedule/",
        {"office_hours": block.pk, "start": first_slot(block, skip=3).start.isoformat(), "reason": "x"},
    )
    assert moved_again.status_code == 409 and moved_again.json()["error"]["code"] == "not_changeable"


def test_the_waiting_list_through_the_api(mentee_client, mentee, group_block):
    slot = first_slot(group_block)
    body = {"office_hours": group_block.pk, "start": slot.start.isoformat(), "topic": "Wait"}
    early = post(mentee_client, f"{V1}/waitlist/", body)
    assert early.status_code == 409
    for _ in range(3):
        book(group_block, make_mentee())
    joined = post(mentee_client, f"{V1}/waitlist/", body)
    assert joined.status_code == 201
    # Joining again makes nothing: a 200 with the place as it is (the first topic), no Location.
    again = post(mentee_client, f"{V1}/waitlist/", {**body, "topic": "Wait, again"})
    assert again.status_code == 200 and not again.has_header("Location")
    assert again.json() == joined.json() and again.json()["topic"] == "Wait"
    assert mentee_client.get(f"{V1}/waitlist/").json()["count"] == 1
    assert mentee_client.delete(f"{V1}/waitlist/{joined.json()['id']}/").status_code == 204
    assert mentee_client.get(f"{V1}/waitlist/").json()["count"] == 0


def test_time_off_and_calendar_through_the_api(mentor_client, mentee_client, block):
    created = post(
        mentor_client, f"{V1}/office-hours/time-off/", {"start_date": "2025-06-02", "office_hours": block.pk}
    )
    assert created.status_code == 201
    assert (
        post(
            mentee_client,
            f"{V1}/office-hours/time-off/",
            {"start_date": "2025-06-02", "office_hours": block.pk},
        ).status_code
        == 400
    )
    assert mentee_client.delete(f"{V1}/office-hours/time-off/{created.json()['id']}/").status_code == 404
    assert mentor_client.delete(f"{V1}/office-hours/time-off/{created.json()['id']}/").status_code == 204
    assert not TimeOff.objects.exists()

    calendar = mentee_client.get(f"{V1}/calendar/").json()
    assert calendar["reminder_minutes"] == [1440, 15] and "/office-hours/calendar/" in calendar["feed_url"]
    assert patch(mentee_client, f"{V1}/calendar/", {"reminder_minutes": [60]}).json()["reminder_minutes"] == [
        60
    ]
    refused = patch(mentee_client, f"{V1}/calendar/", {"reminder_minutes": [7]})
    # The error names the field the client sent (it said "reminders", the web form's field), and the
    # schema lists the times on offer.
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["reminder_minutes"]
    schemas = openapi_schema()["components"]["schemas"]
    items = schemas["CalendarRequest"]["properties"]["reminder_minutes"]["items"]
    assert sorted(schemas[items["$ref"].rsplit("/", 1)[1]]["enum"]) == [15, 60, 1440]
    rotated = post(mentee_client, f"{V1}/calendar/rotate/", {}).json()
    assert rotated["feed_url"] != calendar["feed_url"]


def test_every_office_hours_endpoint_is_in_the_schema(mentee_client):
    schema = openapi_schema()
    paths = schema["paths"]
    for path in (
        "/api/v1/office-hours/",
        "/api/v1/office-hours/{id}/",
        "/api/v1/office-hours/slots/",
        "/api/v1/office-hours/time-off/",
        "/api/v1/bookings/",
        "/api/v1/bookings/{id}/",
        "/api/v1/bookings/{id}/cancel/",
        "/api/v1/bookings/{id}/reschedule/",
        "/api/v1/waitlist/",
        "/api/v1/waitlist/{id}/",
        "/api/v1/calendar/",
        "/api/v1/calendar/rotate/",
    ):
        assert path in paths, path
    create = paths["/api/v1/bookings/"]["post"]
    assert "409" in create["responses"] and "503" in create["responses"]
    (key,) = [p for p in create["parameters"] if p["name"] == "Idempotency-Key" and p["in"] == "header"]
    assert key["schema"] == {"type": "string", "minLength": 1, "maxLength": 255}  # as the view checks it


@pytest.mark.parametrize("endpoint", ["bookings", "slots"])
def test_lists_cost_the_same_queries_at_10_and_many_rows(mentee_client, mentee, endpoint):
    mentors = []

    def grow_bookings(n):
        for _ in range(n):
            block = OfficeHoursFactory(mentor=make_mentor())
            slot = first_slot(block)
            row = Slot.objects.create(mentor=block.mentor, office_hours=block, start=slot.start, end=slot.end)
            Booking.objects.create(
                slot=row,
                mentor=block.mentor,
                mentee=mentee,
                start=slot.start + dt.timedelta(days=len(mentors)),
                end=slot.end + dt.timedelta(days=len(mentors)),
                topic="t",
            )
            mentors.append(block.mentor)

    def grow_blocks(n):
        for _ in range(n):
            OfficeHoursFactory(mentor=make_mentor(), seats=2)

    url = f"{V1}/bookings/" if endpoint == "bookings" else f"{V1}/office-hours/slots/"
    assert_constant_queries(
        grow=grow_bookings if endpoint == "bookings" else grow_blocks,
        action=lambda: mentee_client.get(url, {"page_size": 100}),
        small=5,
        large=40,
    )
