"""Programmes: creation, rules inheriting the site defaults, joining, leaving and managing members."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from openhelp.directory.programmes import access, rules, services
from openhelp.directory.programmes.models import Membership, MembershipRole
from openhelp.help.routing import policy
from openhelp.platform.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_organiser_creates_a_programme_and_becomes_its_organiser(programme, organiser):
    assert programme.slug == "data-guild"
    assert access.is_organiser(programme, organiser)
    membership = Membership.objects.get(programme=programme)
    assert membership.accepted_code_of_conduct_at is not None


def test_only_site_organisers_create_programmes(owner):
    with pytest.raises(PermissionDenied):
        services.create_programme(actor=owner, name="Mine")


def test_bad_fields_get_clear_errors(organiser):
    with pytest.raises(ValidationError) as caught:
        services.create_programme(
            actor=organiser,
            name=" ",
            allowed_email_domain="not a domain",
            offers_per_round=0,
            matching_weights={"load": -1, "charisma": 2},
        )
    errors = caught.value.message_dict
    assert set(errors) == {"name", "allowed_email_domain", "offers_per_round", "matching_weights"}
    text = " ".join(errors["matching_weights"])
    assert "charisma" in text and "load" in text and "zero or more" in text


def test_reserved_and_repeated_names_get_distinct_slugs(organiser):
    first = services.create_programme(actor=organiser, name="New")
    second = services.create_programme(actor=organiser, name="New")
    assert first.slug == "new-programme" and second.slug == "new-programme-2"


@override_settings(
    ROUTING={"OFFERS_PER_ROUND": 3, "PROMISED_RESPONSE": {"today": 4, "this_week": 48, "flexible": 120}},
    OFFICE_HOURS={"LATE_CANCEL_HOURS": 24, "ROOM_LINK_PATTERN": "x"},
    NO_SHOW_POLICY={"MAX_NO_SHOWS": 2, "WINDOW_DAYS": 60},
)
def test_empty_rules_inherit_the_site_defaults_and_set_ones_win(programme, organiser):
    assert policy.offers_per_round(programme) == 3
    assert policy.promised_response("today", programme) == dt.timedelta(hours=4)
    assert policy.weights(programme) == policy.weights()
    assert rules.late_cancel_window(programme) == dt.timedelta(hours=24)
    assert rules.no_show_policy(programme) == {"MAX_NO_SHOWS": 2, "WINDOW_DAYS": 60}

    programme = services.update_programme(
        programme=programme,
        actor=organiser,
        offers_per_round=5,
        response_hours_today=2,
        matching_weights={"load": 2.0},
        late_cancel_hours=6,
        no_show_max=4,
    )
    assert policy.offers_per_round(programme) == 5
    assert policy.promised_response("today", programme) == dt.timedelta(hours=2)
    assert policy.promised_response("this_week", programme) == dt.timedelta(hours=48)  # still inherited
    assert policy.weights(programme).load == 2.0 and policy.weights().load != 2.0
    assert rules.late_cancel_window(programme) == dt.timedelta(hours=6)
    assert rules.no_show_policy(programme) == {"MAX_NO_SHOWS": 4, "WINDOW_DAYS": 60}
    since = dt.datetime(2025, 6, 2, tzinfo=dt.UTC)
    assert policy.escalation_due_at(urgency="today", since=since, programme=programme) < (
        policy.escalation_due_at(urgency="today", since=since)
    )
    # Emptying a rule goes back to the site default.
    programme = services.update_programme(programme=programme, actor=organiser, offers_per_round=None)
    assert policy.offers_per_round(programme) == 3


def test_members_cannot_change_the_programme(programme, member):
    with pytest.raises(services.NotOrganiser):
        services.update_programme(programme=programme, actor=member, name="Hijacked")


def test_joining_with_the_invite_token_needs_the_code_of_conduct(programme, outsider):
    with pytest.raises(ValidationError) as caught:
        services.join_with_token(token=programme.invite_token, user=outsider, accept_code_of_conduct=False)
    assert "accept_code_of_conduct" in caught.value.message_dict
    membership = services.join_with_token(
        token=programme.invite_token, user=outsider, accept_code_of_conduct=True
    )
    assert membership.role == MembershipRole.MEMBER and membership.accepted_code_of_conduct_at
    again = services.join_with_token(token=programme.invite_token, user=outsider, accept_code_of_conduct=True)
    assert again.pk == membership.pk


def test_a_wrong_or_rotated_token_is_refused(programme, organiser, outsider):
    with pytest.raises(ValidationError) as caught:
        services.join_with_token(token="nope", user=outsider, accept_code_of_conduct=True)
    assert "not valid" in caught.value.message_dict["token"][0]
    old = programme.invite_token
    services.rotate_invite(programme=programme, actor=organiser)
    with pytest.raises(ValidationError):
        services.join_with_token(token=old, user=outsider, accept_code_of_conduct=True)
    assert not access.is_member(programme, outsider)


def test_self_join_needs_the_allowed_domain(programme, outsider):
    with pytest.raises(ValidationError) as caught:
        services.join(programme=programme, user=outsider, accept_code_of_conduct=True)
    assert "guild.example" in caught.value.message_dict["token"][0]
    colleague = UserFactory(email="ada@guild.example")
    assert programme in access.joinable_by_domain(colleague)
    with pytest.raises(ValidationError):
        services.join(programme=programme, user=colleague, accept_code_of_conduct=False)
    services.join(programme=programme, user=colleague, accept_code_of_conduct=True)
    assert access.is_member(programme, colleague)
    assert colleague.pk in set(access.member_user_ids(programme).values_list("user_id", flat=True))


def test_organisers_add_members_by_email_and_they_are_told(programme, organiser, owner, outsider):
    with pytest.raises(ValidationError) as caught:
        services.add_members_by_email(
            programme=programme, emails="owner@example.org, ghost@example.org", actor=organiser
        )
    assert "ghost@example.org" in caught.value.message_dict["emails"][0]
    result = services.add_members_by_email(
        programme=programme, emails="owner@example.org\noutsider@example.org", actor=organiser
    )
    assert {u.pk for u in result.added} == {owner.pk, outsider.pk}
    assert Notification.objects.filter(event="programme.added", recipient=owner).exists()
    again = services.add_members(programme=programme, users=[owner], role="organiser", actor=organiser)
    assert again.promoted == [owner] and access.is_organiser(programme, owner)
    # Added people accept the code of conduct on their first visit.
    membership = services.accept_code_of_conduct(programme=programme, user=outsider)
    assert membership.accepted_code_of_conduct_at is not None


def test_add_members_is_for_the_programmes_organisers(programme, member, outsider):
    with pytest.raises(services.NotOrganiser):
        services.add_members(programme=programme, users=[outsider], role="member", actor=member)


def test_the_last_organiser_cannot_leave_or_be_demoted(programme, organiser, member):
    with pytest.raises(ValidationError):
        services.leave(programme=programme, user=organiser)
    with pytest.raises(ValidationError):
        services.set_role(programme=programme, user=organiser, role="member", actor=organiser)
    services.set_role(programme=programme, user=member, role="organiser", actor=organiser)
    services.leave(programme=programme, user=organiser)
    assert not access.is_member(programme, organiser)
    with pytest.raises(ValidationError):
        services.remove_member(programme=programme, user=member, actor=member)


def test_a_person_can_belong_to_several_programmes(programme, organiser, member):
    other = services.create_programme(actor=organiser, name="Design Circle")
    services.add_members(programme=other, users=[member], role="member", actor=organiser)
    assert set(access.programmes_of(member)) == {programme, other}


def test_the_admin_checks_matching_weights_too(programme):
    programme.matching_weights = {"load": "heavy"}
    with pytest.raises(ValidationError) as caught:
        programme.full_clean()
    assert "matching_weights" in caught.value.message_dict
