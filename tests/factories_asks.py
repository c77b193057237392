"""Factories for asks, their timeline and their thread, plus builders for asks in any state."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from factory.django import DjangoModelFactory

from openhelp.help.asks.models import Ask, AskEvent, AskFormat, AskState, Message, Urgency
from openhelp.platform.lib.clock import now
from tests.factories import SkillFactory, UserFactory

_counter = itertools.count()


class AskFactory(DjangoModelFactory):
    class Meta:
        model = Ask
        skip_postgeneration_save = True

    mentee = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Ask {n}")
    objective = "read my A/B test results and decide whether to ship"
    context = "I tried a t-test in a spreadsheet."
    preparation_questions = factory.LazyFunction(lambda: ["Which test fits conversion rates?"])
    format = AskFormat.CALL_30
    urgency = Urgency.THIS_WEEK

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if not create:
            return
        self.skills.set(extracted if extracted is not None else [SkillFactory()])

    @factory.post_generation
    def co_askers(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_askers.set(extracted)


def ask_in_state(state: str, *, helper=None, **kwargs) -> Ask:
    """An ask put straight into ``state`` (as if its earlier steps had happened), for state-machine tests."""
    fields: dict = {"state": state}
    if state != AskState.DRAFT:
        fields["published_at"] = now() - dt.timedelta(hours=2)
    if state in {AskState.ACCEPTED, AskState.SCHEDULED, AskState.ANSWERED, AskState.COMPLETED}:
        fields["helper"] = helper or UserFactory()
        fields["accepted_at"] = now() - dt.timedelta(hours=1)
    if state == AskState.SCHEDULED:
        fields["scheduled_for"] = now() + dt.timedelta(days=1)
        fields["scheduled_place"] = "https://meet.example.org/room"
    if helper is not None:
        fields["helper"] = helper
    fields.update(kwargs)
    return AskFactory(**fields)


class AskEventFactory(DjangoModelFactory):
    class Meta:
        model = AskEvent

    ask = factory.SubFactory(AskFactory)
    kind = "transition"
    from_state = AskState.DRAFT
    to_state = AskState.OPEN


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    ask = factory.SubFactory(AskFactory)
    author = factory.LazyAttribute(lambda o: o.ask.mentee)
    body = "Hello! Here is **what** I tried."


def make_asks(n: int, *, mentee, skills, state: str = AskState.OPEN, co_asker=None) -> list[Ask]:
    """``n`` asks in a handful of queries (for the query-count guard)."""
    batch = next(_counter)
    asks = Ask.objects.bulk_create(
        [
            Ask(
                mentee=mentee,
                title=f"Bulk ask {batch}-{i}",
                objective="do the thing",
                preparation_questions=["Where do I start?"],
                state=state,
                published_at=now() if state != AskState.DRAFT else None,
            )
            for i in range(n)
        ]
    )
    Ask.skills.through.objects.bulk_create(
        [Ask.skills.through(ask_id=ask.pk, skill_id=skill.pk) for ask in asks for skill in skills]
    )
    if co_asker is not None:
        Ask.co_askers.through.objects.bulk_create(
            [Ask.co_askers.through(ask_id=ask.pk, user_id=co_asker.pk) for ask in asks]
        )
    return asks


def publish_and_route(ask: Ask, *, actor) -> Ask:
    """Publish the ask, then run the worker's first round at once (``route_published_ask``, what the queued
    ``route_ask_task`` calls); tests/asks/test_publish.py covers the queue itself."""
    from openhelp.help.asks.services import publish_ask
    from openhelp.help.routing.services import route_published_ask

    ask = publish_ask(ask=ask, actor=actor)
    route_published_ask(ask_id=ask.pk, actor_id=actor.pk)
    ask.refresh_from_db()
    return ask
