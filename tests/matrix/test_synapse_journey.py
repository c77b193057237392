"""End to end against a real Synapse: people link their Matrix accounts, write an ask with ``!ask``, get the
offer as a DM, accept it with a ✅ reaction, and the ask is accepted here; kudos and moments from Matrix.

The bot's sync step and the background tasks are run explicitly, in order: no thread races the test.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.test import Client

from openhelp.community.moments.models import Moment
from openhelp.community.recognition.models import Kudos
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.routing.models import Offer, OfferState
from openhelp.integrations.matrix import services
from openhelp.integrations.matrix.client import MatrixClient
from openhelp.integrations.matrix.models import MatrixLink, OfferMessage
from openhelp.integrations.matrix.sync import sync_once
from openhelp.platform.notifications.models import Notification
from tests.factories import SkillFactory, UserFactory
from tests.factories_routing import make_mentor
from tests.harness.outbox import deliver_events
from tests.harness.tasks import run_pending_tasks

# One worker runs every Synapse test, so one Synapse starts per run.
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("synapse")]


@dataclass
class Person:
    matrix_id: str
    token: str
    room_id: str
    client: MatrixClient


@pytest.fixture
def bot(synapse, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = [synapse.host]
    user_id, token = synapse.register("bot")
    return services.save_bot(homeserver_url=synapse.base_url, user_id=user_id, access_token=token)


def open_dm(synapse, bot, name: str) -> Person:
    """A new Matrix user who starts a direct chat with the bot."""
    matrix_id, token = synapse.register(name)
    client = MatrixClient(synapse.base_url, token)
    return Person(
        matrix_id=matrix_id, token=token, room_id=client.create_direct_room(bot.user_id), client=client
    )


def bot_texts(synapse, bot, person: Person) -> list[str]:
    return [
        event["content"].get("body", "")
        for event in synapse.messages(person.token, person.room_id)
        if event["sender"] == bot.user_id and event["type"] == "m.room.message"
    ]


def say(person: Person, text: str) -> None:
    person.client.send_text(person.room_id, text)
    sync_once()


def link(synapse, bot, person: Person, user) -> None:
    say(person, "!link")
    url = bot_texts(synapse, bot, person)[-1].rsplit(" ", 1)[-1]
    browser = Client()
    browser.force_login(user)
    assert browser.post(urlsplit(url).path).status_code == 302
    assert MatrixLink.objects.get(user=user).matrix_id == person.matrix_id


def test_a_mentor_accepts_an_offer_from_matrix_and_the_ask_is_accepted(synapse, bot):
    django = SkillFactory(name="Django")
    mentor, mentee = make_mentor(django, name="Mia Mentor"), UserFactory()
    mentor_dm, mentee_dm = open_dm(synapse, bot, "mentor"), open_dm(synapse, bot, "mentee")
    assert sync_once().joined == 2
    link(synapse, bot, mentor_dm, mentor)
    link(synapse, bot, mentee_dm, mentee)

    say(mentee_dm, "!ask Write my first data migration #django | How do I roll one back?")

    ask = Ask.objects.get(mentee=mentee)
    assert (ask.title, ask.state, ask.preparation_questions) == (
        "Write my first data migration",
        AskState.OPEN,
        ["How do I roll one back?"],
    )
    reply = bot_texts(synapse, bot, mentee_dm)[-1]
    assert f"Your ask #{ask.pk} is out. Published: we are finding the right experts." in reply

    run_pending_tasks()  # the worker offers it; the chat channel: the offer goes to the mentor as a DM

    ask.refresh_from_db()
    assert ask.state == AskState.OFFERED
    offer = Offer.objects.get(ask=ask, mentor=mentor)

    assert f"!accept {offer.pk}" in bot_texts(synapse, bot, mentor_dm)[-1]
    offer_message = OfferMessage.objects.get(offer=offer)
    assert Notification.objects.get(event="ask.offer.received", recipient=mentor).chat_status == "sent"

    mentor_dm.client.send(
        mentor_dm.room_id,
        {"m.relates_to": {"rel_type": "m.annotation", "event_id": offer_message.event_id, "key": "✅"}},
        event_type="m.reaction",
    )
    sync_once()

    ask.refresh_from_db()
    offer.refresh_from_db()
    assert (ask.state, ask.helper, offer.state) == (AskState.ACCEPTED, mentor, OfferState.ACCEPTED)
    assert "You are helping with “Write my first data migration”" in bot_texts(synapse, bot, mentor_dm)[-1]

    run_pending_tasks()  # the mentee hears it in Matrix
    assert "Mia Mentor will help with" in bot_texts(synapse, bot, mentee_dm)[-1]

    deliver_events()  # the matrix consumer sees offer.accepted …
    run_pending_tasks()  # … and the offer message is edited to say so
    edits = [
        event
        for event in synapse.messages(mentor_dm.token, mentor_dm.room_id)
        if event["content"].get("m.relates_to", {}).get("rel_type") == "m.replace"
    ]
    assert [edit["content"]["m.relates_to"]["event_id"] for edit in edits] == [offer_message.event_id]
    assert edits[0]["content"]["m.new_content"]["body"].startswith("✅ You accepted")

    say(mentee_dm, f"!kudos {mentor_dm.matrix_id} for the clear explanation")
    assert Kudos.objects.get(giver=mentee, receiver=mentor).message == "the clear explanation"

    say(mentor_dm, "!moment insight Showed how squashing migrations works")
    assert Moment.objects.get(author=mentor).kind == "insight"


def test_strangers_get_a_clear_answer_and_nothing_happens_twice(synapse, bot):
    django = SkillFactory(name="Django")
    make_mentor(django)
    mentee = UserFactory()
    stranger, mentee_dm = open_dm(synapse, bot, "stranger"), open_dm(synapse, bot, "asker")
    sync_once()
    link(synapse, bot, mentee_dm, mentee)

    say(stranger, "!ask Learn Django #django | Where to start?")
    assert "I do not know who you are on Open to Help yet" in bot_texts(synapse, bot, stranger)[-1]

    say(mentee_dm, "!ask Learn Django #django | Where to start?")
    bot.refresh_from_db()
    bot.since = ""  # a restart that lost its position sees the whole history again …
    bot.save()
    sync_once()
    assert Ask.objects.filter(mentee=mentee).count() == 1  # … and acts on nothing twice

    say(mentee_dm, "!unlink")
    assert not MatrixLink.objects.filter(user=mentee).exists()
    assert bot_texts(synapse, bot, mentee_dm)[-1].startswith("Unlinked")


def test_a_reminder_opens_a_dm_when_there_is_none_and_again_after_they_left_it(synapse, bot):
    from openhelp.platform.notifications.services import notify

    matrix_id, token = synapse.register("reader")
    person = UserFactory()
    link = MatrixLink.objects.create(user=person, matrix_id=matrix_id)  # linked, no DM room yet
    reader = MatrixClient(synapse.base_url, token)

    def remind(key: str) -> None:
        notify(
            event="booking.reminder",
            recipients=[person],
            title="Your office hours start in an hour",
            url="/officehours/",
            dedupe_key=key,
        )
        run_pending_tasks()

    remind("first")
    link.refresh_from_db()
    first_room = link.room_id
    assert first_room
    reader.join(first_room)  # accept the bot's invitation
    assert "start in an hour" in bot_texts(synapse, bot, Person(matrix_id, token, first_room, reader))[-1]

    reader.call("POST", f"/_matrix/client/v3/rooms/{first_room}/leave", body={})
    sync_once()  # the bot sees them leave
    remind("second")
    link.refresh_from_db()
    assert link.room_id not in ("", first_room)
    assert Notification.objects.get(recipient=person, dedupe_key="second").chat_status == "sent"

    MatrixLink.objects.filter(pk=link.pk).update(room_id="!gone:localhost")  # a room the bot is not in
    remind("third")
    link.refresh_from_db()
    assert link.room_id.startswith("!") and link.room_id != "!gone:localhost"
    assert Notification.objects.get(recipient=person, dedupe_key="third").chat_status == "sent"


def test_the_bot_form_is_checked_with_the_real_homeserver(synapse, settings):
    """A real Synapse: the bot's own token saves; a wrong one and another account's are refused on the form."""
    from django.core.exceptions import ValidationError

    settings.OUTBOUND_ALLOWED_HOSTS = [synapse.host]
    user_id, token = synapse.register("checkedbot")
    other_id, other_token = synapse.register("notthebot")
    with pytest.raises(ValidationError) as wrong:
        services.save_bot(homeserver_url=synapse.base_url, user_id=user_id, access_token=token + "x")
    assert wrong.value.message_dict["access_token"][0].startswith(
        "The homeserver refused this access token (M_UNKNOWN_TOKEN)."
    )
    with pytest.raises(ValidationError) as another:
        services.save_bot(homeserver_url=synapse.base_url, user_id=user_id, access_token=other_token)
    assert another.value.message_dict["user_id"] == [
        f"This access token belongs to {other_id}, not to {user_id}."
    ]
    assert services.save_bot(homeserver_url=synapse.base_url, user_id=user_id, access_token=token).enabled
