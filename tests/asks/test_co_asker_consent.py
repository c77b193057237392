"""Nobody is made a co-asker without saying yes: the mentee's list asks people, who accept, decline, or
leave later. Until they accept they see the ask's title and who asked them, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.help.asks import services
from openhelp.help.asks.models import CoAskerInvitation
from openhelp.platform.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories_asks import MessageFactory, ask_in_state

pytestmark = pytest.mark.django_db

CONTEXT = "Our staging cluster leaks the payroll export."
THREAD = "The export job runs as root."


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def ask(mentee, helper, skills):
    ask = ask_in_state("accepted", mentee=mentee, helper=helper, title="Harden the cluster", context=CONTEXT)
    ask.skills.set([skills["kubernetes"]])
    MessageFactory(ask=ask, author=mentee, body=THREAD)
    return ask


@pytest.fixture
def invited(ask, mentee, co_asker):
    services.set_co_askers(ask=ask, actor=mentee, co_askers=[co_asker])
    return ask


def test_a_person_on_the_list_is_asked_not_added(invited, co_asker):
    assert not invited.co_askers.filter(pk=co_asker.pk).exists()
    assert not invited.is_participant(co_asker)
    note = Notification.objects.get(recipient=co_asker)
    assert note.event == "ask.co_asker.invited"
    assert note.url == reverse("asks:invitation", args=[invited.pk])
    assert CONTEXT not in note.body and THREAD not in note.body


def test_until_they_accept_they_see_the_title_and_who_asked_and_nothing_else(invited, co_asker, client):
    client.force_login(co_asker)
    assert client.get(reverse("asks:detail", args=[invited.pk])).status_code == 404
    page = client.get(reverse("asks:invitation", args=[invited.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Harden the cluster" in text and "Olivia Owner asks you to join" in text
    assert CONTEXT not in text and THREAD not in text and "Hana Helper" not in text
    api = api_for(co_asker)
    assert api.get(reverse("api:asks-detail", args=[invited.pk])).status_code == 404
    assert api.get(reverse("api:asks-messages", args=[invited.pk])).status_code == 404
    assert api.get(reverse("api:asks-list")).json()["results"] == []
    [row] = api.get(reverse("api:asks-invitations")).json()["results"]
    assert row["ask"] == invited.pk and row["ask_title"] == "Harden the cluster"
    assert row["invited_by"]["display_name"] == "Olivia Owner"


def test_a_pending_invitee_is_told_nothing_that_happens_on_the_ask(invited, mentee, co_asker):
    services.post_message(ask=invited, author=mentee, body="Any news?")
    assert not Notification.objects.filter(recipient=co_asker, event="ask.message.received").exists()


def test_accepting_joins_the_ask_and_tells_the_mentee(invited, mentee, co_asker, client):
    client.force_login(co_asker)
    response = client.post(reverse("asks:invitation-answer", args=[invited.pk]), {"answer": "accept"})
    assert response.status_code == 302 and response.url == reverse("asks:detail", args=[invited.pk])
    assert CONTEXT in client.get(response.url).content.decode()
    assert invited.co_askers.filter(pk=co_asker.pk).exists()
    assert not CoAskerInvitation.objects.exists()
    assert Notification.objects.get(recipient=mentee, event="ask.co_asker.answered").title == (
        "Cody Coasker joined your ask “Harden the cluster”"
    )


def test_accepting_by_api_answers_with_the_ask(invited, co_asker):
    response = api_for(co_asker).post(reverse("api:asks-invitation-accept", args=[invited.pk]))
    assert response.status_code == 200
    assert response.json()["context"] == CONTEXT
    assert [p["display_name"] for p in response.json()["co_askers"]] == ["Cody Coasker"]


def test_declining_keeps_them_off_and_they_are_not_asked_again(invited, mentee, co_asker, client):
    assert (
        api_for(co_asker).post(reverse("api:asks-invitation-decline", args=[invited.pk])).status_code == 204
    )
    assert not invited.is_participant(co_asker)
    assert Notification.objects.filter(recipient=mentee, event="ask.co_asker.answered").count() == 1

    client.force_login(mentee)
    response = client.post(reverse("asks:co-askers", args=[invited.pk]), {"co_askers": "coasker@example.org"})
    assert response.status_code == 400
    form = response.context["co_askers_form"]
    assert "Cody Coasker said no to this ask" in form.errors["co_askers"][0]
    assert "coasker@example.org" in response.content.decode()  # what was typed is kept
    assert Notification.objects.filter(recipient=co_asker, event="ask.co_asker.invited").count() == 1


def test_a_co_asker_can_leave_and_is_not_added_back(invited, mentee, co_asker, client):
    services.accept_co_asker_invitation(ask=invited, invitee=co_asker)
    client.force_login(co_asker)
    assert "Leave this ask" in client.get(reverse("asks:detail", args=[invited.pk])).content.decode()

    response = client.post(reverse("asks:leave", args=[invited.pk]))

    assert response.status_code == 302
    assert client.get(reverse("asks:detail", args=[invited.pk])).status_code == 404
    assert Notification.objects.filter(
        recipient=mentee, event="ask.co_asker.answered", title__contains="left your ask"
    ).exists()
    with pytest.raises(ValidationError, match="said no"):
        services.set_co_askers(ask=invited, actor=mentee, co_askers=[co_asker])


def test_taking_someone_off_the_list_withdraws_the_invitation(invited, mentee, co_asker, client):
    services.set_co_askers(ask=invited, actor=mentee, co_askers=[])
    client.force_login(co_asker)
    assert client.get(reverse("asks:invitation", args=[invited.pk])).status_code == 404
    assert (
        client.post(reverse("asks:invitation-answer", args=[invited.pk]), {"answer": "accept"}).status_code
        == 404
    )
    assert not invited.co_askers.exists()


def test_saving_the_list_unchanged_keeps_the_pending_invitation(invited, mentee, co_asker, client):
    client.force_login(mentee)
    page = client.get(reverse("asks:detail", args=[invited.pk])).content.decode()
    assert "Asked, no answer yet: Cody Coasker" in page
    client.post(reverse("asks:co-askers", args=[invited.pk]), {"co_askers": "coasker@example.org"})
    assert CoAskerInvitation.objects.filter(invitee=co_asker, state="pending").count() == 1
    assert Notification.objects.filter(recipient=co_asker, event="ask.co_asker.invited").count() == 1


def test_the_mentee_sees_who_has_not_answered_yet_in_the_api(invited, mentee, helper, co_asker):
    mine = api_for(mentee).get(reverse("api:asks-detail", args=[invited.pk])).json()
    assert mine["co_askers"] == [] and mine["invited_co_askers"][0]["display_name"] == "Cody Coasker"
    theirs = api_for(helper).get(reverse("api:asks-detail", args=[invited.pk])).json()
    assert theirs["invited_co_askers"] == []


def test_a_site_admin_cannot_add_a_co_asker_either(invited, client):
    client.force_login(UserFactory(email="site-admin@example.org", is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:asks_ask_change", args=[invited.pk]))
    assert response.status_code == 200
    assert "co_askers" not in response.context["adminform"].form.fields


def test_an_answer_that_is_neither_yes_nor_no_is_a_400_and_changes_nothing(invited, co_asker, client):
    client.force_login(co_asker)
    response = client.post(reverse("asks:invitation-answer", args=[invited.pk]), {"answer": "maybe"})
    assert response.status_code == 400
    assert "Choose to accept or to decline." in response.content.decode()
    assert CoAskerInvitation.objects.get().state == CoAskerInvitation.State.PENDING


# An ask id past 64 bits names no ask: the invitation's lookup by the ask's id reached the database with
# it and answered 500 (OverflowError on SQLite), in the API and on the page alike.
NO_SUCH_ASK = 10**25


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", f"/api/v1/asks/{NO_SUCH_ASK}/invitation/accept/"),
        ("post", f"/api/v1/asks/{NO_SUCH_ASK}/invitation/decline/"),
        ("get", f"/asks/{NO_SUCH_ASK}/invitation/"),
        ("post", f"/asks/{NO_SUCH_ASK}/invitation/answer/"),
    ],
)
def test_an_invitation_to_an_ask_id_past_64_bits_is_a_404(owner_client, method, path):
    response = getattr(owner_client, method)(path, {"answer": "accept"} if method == "post" else None)
    assert response.status_code == 404
