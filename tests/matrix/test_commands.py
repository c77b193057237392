"""The bot's commands and reactions, answered through the real services (no homeserver needed here)."""

from __future__ import annotations

import pytest

from openhelp.community.moments.models import Moment
from openhelp.community.recognition.models import Kudos
from openhelp.help.asks.models import Ask
from openhelp.help.routing.models import DeclineReason, OfferState
from openhelp.integrations.matrix import offers
from openhelp.integrations.matrix.commands import NOT_LINKED, Sender, answer, react
from openhelp.integrations.matrix.models import OfferMessage
from openhelp.integrations.matrix.transport import render
from openhelp.platform.notifications.models import Notification
from tests.factories import SkillFactory
from tests.factories_matrix import MatrixLinkFactory
from tests.factories_routing import OfferFactory
from tests.harness.tasks import queued_task_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    link = MatrixLinkFactory(matrix_id="@me:example.org")
    return link.user


def say(text: str, who: str = "@me:example.org") -> str | None:
    return answer(Sender(matrix_id=who, room_id="!dm:example.org"), text)


def test_it_ignores_chat_and_explains_unknown_commands(me):
    assert say("hello there") is None
    assert "!ask" in say("!help")
    assert "I do not know “!dance”" in say("!dance")


def test_people_who_are_not_linked_are_told_how_to_link():
    assert say("!ask Learn Rust #rust | Where to start?", who="@stranger:example.org") == NOT_LINKED
    reply = say("!link stranger@example.org", who="@stranger:example.org")
    assert "/integrations/matrix/link/" in reply


def test_an_ask_needs_a_known_skill_and_a_question(me):
    SkillFactory(name="Rust")
    assert "Write it as" in say("!ask Learn Rust")
    assert "#cobol" in say("!ask Learn COBOL #cobol | Where to start?")
    assert "preparation question" in say("!ask Learn Rust #rust")
    assert not Ask.objects.exists()


def test_an_ask_is_written_and_published(me):
    SkillFactory(name="Machine learning")
    reply = say("!ask Train my first model #machine-learning | Which data set? | Which library?")
    ask = Ask.objects.get(mentee=me)
    assert ask.objective == "Train my first model" and ask.preparation_questions == [
        "Which data set?",
        "Which library?",
    ]
    assert ask.published_at is not None and f"#{ask.pk}" in reply


def test_declines_map_to_reasons_and_only_your_own_offers_count(me):
    mine = [OfferFactory(mentor=me) for _ in range(3)]
    someone_elses = OfferFactory()
    assert say(f"!accept {someone_elses.pk}") == f"You have no offer #{someone_elses.pk}."
    assert "offer number" in say("!decline soon")

    say(f"!decline {mine[0].pk} no time this week")
    say(f"!decline {mine[1].pk} not my area")
    say(f"!decline {mine[2].pk} I am moving house")
    for offer in mine:
        offer.refresh_from_db()
    assert [(o.state, o.decline_reason, o.decline_note) for o in mine] == [
        (OfferState.DECLINED, DeclineReason.NO_TIME, ""),
        (OfferState.DECLINED, DeclineReason.NOT_MY_AREA, ""),
        (OfferState.DECLINED, DeclineReason.OTHER, "I am moving house"),
    ]
    assert "already declined" in say(f"!decline {mine[0].pk}")
    assert say(f"!accept {mine[0].pk}") == "You have already declined this ask."  # the service's words


def test_a_reaction_answers_the_offer_it_was_put_on(me):
    offer = OfferFactory(mentor=me)
    OfferMessage.objects.create(offer=offer, room_id="!dm:example.org", event_id="$offer")
    sender = Sender(matrix_id="@me:example.org", room_id="!dm:example.org")
    assert react(sender, event_id="$other", key="✅") is None
    assert react(sender, event_id="$offer", key="🎉") is None
    assert react(Sender(matrix_id="@x:example.org", room_id="!r"), event_id="$offer", key="✅") == NOT_LINKED

    react(sender, event_id="$offer", key="❌\ufe0f")
    offer.refresh_from_db()
    assert offer.state == OfferState.DECLINED


def test_kudos_go_to_linked_people_only(me):
    friend = MatrixLinkFactory(matrix_id="@friend:example.org").user
    assert "has not linked" in say("!kudos @nobody:example.org for the help")
    assert "Write it as" in say("!kudos friend for the help")
    assert "Kudos sent" in say("!kudos @friend:example.org for the careful review")
    assert Kudos.objects.get(giver=me, receiver=friend).message == "the careful review"
    assert "Kudos sent" not in say("!kudos @me:example.org for being me")
    assert not Kudos.objects.filter(receiver=me).exists()


def test_moments_take_an_optional_kind(me):
    say("!moment feedback Told Sam the draft is strong")
    say("!moment Cheered on the new joiner")
    assert sorted(Moment.objects.filter(author=me).values_list("kind", "note")) == [
        ("encouragement", "Cheered on the new joiner"),
        ("feedback", "Told Sam the draft is strong"),
    ]
    assert "one line" in say("!moment")


def test_an_offer_message_says_how_to_answer_with_an_absolute_link(settings):
    settings.SITE_URL = "https://help.example.org"
    notification = Notification(
        event="ask.offer.received",
        title="Can you help?",
        body="By the end <they> want to: x",
        url="/offers/7/",
        context={"offer_id": 7},
    )
    text, html = render(notification)
    assert "!accept 7" in text and text.endswith("https://help.example.org/offers/7/")
    assert "&lt;they&gt;" in html and '<a href="https://help.example.org/offers/7/">' in html


def test_the_consumer_queues_edits_only_for_closed_offers(django_capture_on_commit_callbacks):
    open_offer, taken = OfferFactory(), OfferFactory(state=OfferState.WITHDRAWN)
    OfferMessage.objects.create(offer=open_offer, room_id="!a", event_id="$a")
    OfferMessage.objects.create(offer=taken, room_id="!b", event_id="$b")

    class Event:
        def __init__(self, ask_id):
            self.payload = {"ask": ask_id}

    with django_capture_on_commit_callbacks(execute=True):
        offers.handle([Event(open_offer.ask_id)])
    assert offers.close_offer_messages.module_path not in queued_task_names()
    with django_capture_on_commit_callbacks(execute=True):
        offers.handle([Event(taken.ask_id)])
    assert offers.close_offer_messages.module_path in queued_task_names()
    assert "taken by someone else" in offers.closed_text(OfferState.WITHDRAWN, "X")


def test_the_sync_command_says_when_no_bot_is_set_up():
    from io import StringIO

    from django.core.management import call_command

    from openhelp.platform.core.periodic import registered_jobs

    errors = StringIO()
    call_command("matrix_sync", stderr=errors)
    assert "No Matrix bot is configured" in errors.getvalue()
    assert "matrix.sync" in {job.name for job in registered_jobs()}
