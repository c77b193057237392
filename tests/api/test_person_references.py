"""A person inside an answer is one shape everywhere: ``{id, display_name, profile_id}`` — the user id (to
give kudos to, to invite), the name, and the profile's id (``/api/v1/people/{profile_id}/``). Asks,
sessions and bookings said only ``{id, display_name}``, so a client could not open the person's profile
from them; kudos and moments already said all three."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_access_token
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee, make_mentor
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db


def test_every_person_reference_in_the_schema_has_its_profile_id():
    components = openapi_schema()["components"]["schemas"]
    people = {
        name
        for name, schema in components.items()
        if {"id", "display_name"} <= set(schema.get("properties", {})) and len(schema["properties"]) <= 4
    }

    assert people and all("profile_id" in components[name]["properties"] for name in people), people


def test_a_bookings_mentor_leads_to_their_profile():
    mentor, mentee = make_mentor(name="Theo Helper"), make_mentee()
    booking = book(OfficeHoursFactory(mentor=mentor), mentee)
    api = Client(headers={"Authorization": f"Bearer {make_access_token(mentee)[1]}"})

    person = api.get(f"/api/v1/bookings/{booking.pk}/").json()["mentor"]

    assert person["id"] == mentor.pk
    assert api.get(f"/api/v1/people/{person['profile_id']}/").json()["display_name"] == "Theo Helper"
