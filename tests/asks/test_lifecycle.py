"""The state machine: every legal step works and is recorded, every illegal one is refused, races lose."""

from __future__ import annotations

import itertools

import pytest

from openhelp.help.asks.lifecycle import TRANSITIONS, IllegalTransition, can_transition, transition
from openhelp.help.asks.models import Ask, AskEvent, AskState
from tests.factories_asks import ask_in_state

STATES = list(AskState.values)
LEGAL = [(f, t) for f in STATES for t in sorted(TRANSITIONS[f])]
ILLEGAL = [(f, t) for f, t in itertools.product(STATES, STATES) if t not in TRANSITIONS[f]]


def test_it_lists_every_state_in_the_table():
    assert set(TRANSITIONS) == set(STATES)
    assert all(targets <= set(STATES) for targets in TRANSITIONS.values())


def test_it_closes_the_terminal_states():
    for state in (AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED):
        assert TRANSITIONS[state] == set()


@pytest.mark.django_db
@pytest.mark.parametrize(("from_state", "to_state"), LEGAL)
def test_it_allows_and_records_every_legal_transition(from_state, to_state, owner):
    ask = ask_in_state(from_state)

    moved = transition(ask, to_state, actor=owner, note="because")

    assert moved.state == to_state
    assert Ask.objects.get(pk=ask.pk).state == to_state
    event = AskEvent.objects.get(ask=ask)
    assert (event.from_state, event.to_state, event.actor, event.note) == (
        from_state,
        to_state,
        owner,
        "because",
    )
    assert moved.latest_event == event
    if to_state in {AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED}:
        assert moved.closed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL)
def test_it_refuses_every_illegal_transition(from_state, to_state, owner):
    ask = ask_in_state(from_state)

    with pytest.raises(IllegalTransition) as error:
        transition(ask, to_state, actor=owner)

    assert not can_transition(from_state, to_state)
    assert Ask.objects.get(pk=ask.pk).state == from_state
    assert not AskEvent.objects.filter(ask=ask).exists()
    assert AskState(from_state).label in str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize(("from_state", "to_state"), LEGAL)
def test_it_lets_only_the_first_of_two_concurrent_transitions_win(from_state, to_state, owner):
    ask = ask_in_state(from_state)
    first_copy = Ask.objects.get(pk=ask.pk)
    second_copy = Ask.objects.get(pk=ask.pk)  # read before the first one moved: a stale view

    transition(first_copy, to_state, actor=owner)
    with pytest.raises(IllegalTransition, match="Someone else changed this ask"):
        transition(second_copy, to_state, actor=owner)

    assert AskEvent.objects.filter(ask=ask).count() == 1
    assert second_copy.state == to_state  # refreshed, so the caller can show where it stands now


@pytest.mark.django_db
def test_it_saves_extra_fields_in_the_same_update(owner, helper):
    ask = ask_in_state(AskState.OFFERED)

    moved = transition(ask, AskState.ACCEPTED, actor=helper, helper=helper)

    assert moved.helper == helper
