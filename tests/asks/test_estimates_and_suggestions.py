"""The honest estimated wait, and the help while writing (suggested skills, experts this week)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openhelp.help.asks.estimates import MIN_SAMPLE, Basis, estimated_wait, humanise, no_history_text
from openhelp.help.asks.models import Urgency
from openhelp.help.asks.suggest import candidate_preview, suggest_skills, text_ngrams
from tests.factories import SkillAliasFactory, SkillFactory, UserFactory
from tests.factories_asks import AskFactory
from tests.harness.queries import count_queries

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def accepted_ask(skill, *, waited_hours: float, days_ago: float = 1, urgency=Urgency.THIS_WEEK):
    accepted_at = NOW - dt.timedelta(days=days_ago)
    return AskFactory(
        skills=[skill],
        urgency=urgency,
        state="accepted",
        published_at=accepted_at - dt.timedelta(hours=waited_hours),
        accepted_at=accepted_at,
    )


@time_machine.travel(NOW, tick=False)
def test_it_gives_the_median_wait_of_recent_similar_asks(skills):
    for hours in (1, 2, 3, 10, 20):
        accepted_ask(skills["python"], waited_hours=hours)

    wait = estimated_wait(skill_ids=[skills["python"].pk, skills["django"].pk], urgency=Urgency.THIS_WEEK)

    assert wait is not None
    assert wait.median == dt.timedelta(hours=3)
    assert wait.sample_size == 5
    assert "about 3 hours" in wait.text


@time_machine.travel(NOW, tick=False)
def test_below_five_like_this_it_takes_asks_sharing_a_skill_at_any_urgency(skills):
    for hours in (1, 2, 3, 4):
        accepted_ask(skills["python"], waited_hours=hours)
    accepted_ask(skills["python"], waited_hours=10, urgency=Urgency.TODAY)
    for _ in range(5):  # the organisation's asks do not count while asks sharing a skill suffice
        accepted_ask(skills["kubernetes"], waited_hours=50)

    wait = estimated_wait(skill_ids=[skills["python"].pk], urgency=Urgency.THIS_WEEK)

    assert (wait.basis, wait.sample_size, wait.median) == (Basis.SKILLS, 5, dt.timedelta(hours=3))
    assert (
        wait.text
        == "Asks for these skills were usually accepted within about 3 hours (from 5 recent asks, any urgency)."
    )


@time_machine.travel(NOW, tick=False)
def test_below_five_sharing_a_skill_it_takes_the_organisation_as_a_whole(skills):
    accepted_ask(skills["python"], waited_hours=1)
    for hours in (2, 4, 6, 8):
        accepted_ask(skills["kubernetes"], waited_hours=hours, urgency=Urgency.TODAY)

    wait = estimated_wait(skill_ids=[skills["python"].pk], urgency=Urgency.THIS_WEEK)

    assert (wait.basis, wait.sample_size, wait.median) == (Basis.ORGANISATION, 5, dt.timedelta(hours=4))
    assert (
        wait.text
        == "Across the organisation, asks were usually accepted within about 4 hours (from 5 recent asks)."
    )


@time_machine.travel(NOW, tick=False)
def test_without_five_recent_asks_anywhere_it_says_what_happens_next_instead_of_a_number(skills):
    for hours in (1, 2, 3):
        accepted_ask(skills["python"], waited_hours=hours)
    # Not counted: too long ago, or never accepted.
    accepted_ask(skills["python"], waited_hours=1, days_ago=91)
    AskFactory(skills=[skills["python"]], state="offered", published_at=NOW - dt.timedelta(hours=5))
    accepted_ask(skills["kubernetes"], waited_hours=1)

    assert estimated_wait(skill_ids=[skills["python"].pk], urgency=Urgency.THIS_WEEK) is None
    assert MIN_SAMPLE == 5
    assert no_history_text(urgency=Urgency.THIS_WEEK) == (
        "No asks have been accepted here yet, so we cannot estimate the wait. It goes to the 3 best-matched "
        "experts first; if nobody accepts within 36 hours, more experts are asked."
    )
    assert "The person you asked gets it first" in no_history_text(urgency=Urgency.TODAY, directed=True)


@time_machine.travel(NOW, tick=False)
def test_the_organisation_median_is_remembered_a_few_minutes(skills):
    for hours in (1, 2, 3, 4, 5):
        accepted_ask(skills["kubernetes"], waited_hours=hours)
    first = estimated_wait(skill_ids=[skills["python"].pk], urgency=Urgency.THIS_WEEK)

    again = count_queries(lambda: estimated_wait(skill_ids=[skills["python"].pk], urgency=Urgency.THIS_WEEK))

    assert first.basis == Basis.ORGANISATION
    assert again == 1  # asks sharing a skill; the organisation's median is remembered


@time_machine.travel(NOW, tick=False)
def test_it_counts_an_ask_with_several_shared_skills_once(skills):
    for hours in (1, 2, 3, 4, 5):
        ask = accepted_ask(skills["python"], waited_hours=hours)
        ask.skills.add(skills["django"])

    wait = estimated_wait(skill_ids=[skills["python"].pk, skills["django"].pk], urgency=Urgency.THIS_WEEK)

    assert wait.sample_size == 5


@time_machine.travel(NOW, tick=False)
def test_it_estimates_in_one_query_whatever_the_data(skills):
    for hours in range(1, 6):
        accepted_ask(skills["python"], waited_hours=hours)
    few = count_queries(lambda: estimated_wait(skill_ids=[skills["python"].pk], urgency=Urgency.THIS_WEEK))
    for hours in range(1, 30):
        accepted_ask(skills["python"], waited_hours=hours)
    many = count_queries(lambda: estimated_wait(skill_ids=[skills["python"].pk], urgency=Urgency.THIS_WEEK))

    assert few == many == 1


def test_it_words_waits_plainly():
    assert humanise(dt.timedelta(minutes=1)) == "1 minute"
    assert humanise(dt.timedelta(minutes=45)) == "45 minutes"
    assert humanise(dt.timedelta(hours=5)) == "about 5 hours"
    assert humanise(dt.timedelta(days=3)) == "about 3 days"


# --- Suggested skills ---------------------------------------------------------------------------------


def test_it_splits_text_into_words_and_pairs_keeping_skill_punctuation():
    grams = text_ngrams("Deploying C++ and Node.js apps. Machine learning, A/B testing!")

    assert {"c++", "node.js", "machine learning", "a/b testing", "apps"} <= set(grams)
    assert "a" not in grams


def test_it_suggests_skills_named_or_aliased_in_the_text(skills, owner):
    text = "How do I deploy my Django app on k8s? Machine learning later. Django first."

    suggested = suggest_skills(text=text, user=owner)

    assert suggested[0] == skills["django"]  # mentioned twice
    assert set(suggested) == {skills["django"], skills["kubernetes"], skills["ml"]}


def test_it_leaves_out_skills_already_chosen_and_stops_at_five(skills, owner):
    extra = [SkillFactory(name=f"Tool{i}", slug=f"tool{i}") for i in range(6)]
    text = " ".join(s.name for s in extra) + " Django"

    suggested = suggest_skills(text=text, user=owner, exclude_ids=[skills["django"].pk])

    assert len(suggested) == 5
    assert skills["django"] not in suggested


def test_it_never_suggests_someone_elses_unapproved_skill(owner):
    SkillFactory(name="Secret sauce", slug="secret-sauce", status="proposed", proposed_by=UserFactory())
    mine = SkillFactory(name="My sauce", slug="my-sauce", status="proposed", proposed_by=owner)
    SkillAliasFactory(skill=SkillFactory(name="Hidden", slug="hidden", status="proposed"), name="hush")

    assert suggest_skills(text="secret sauce, my sauce and hush", user=owner) == [mine]


def test_it_suggests_in_two_queries_whatever_the_text_length(skills, owner):
    short = count_queries(lambda: suggest_skills(text="Django", user=owner))
    long = count_queries(lambda: suggest_skills(text="Django k8s and Python " * 500, user=owner))

    assert short == long == 2


def test_it_previews_nothing_without_skills(owner):
    count, text = candidate_preview(skill_ids=[], language_ids=[], mentee=owner)

    assert count is None
    assert "Add skills" in text


def test_it_previews_how_many_experts_could_take_it_this_week(skills, owner):
    from tests.factories import SkillOfferFactory

    for _ in range(2):
        SkillOfferFactory(skill=skills["python"], level=4)

    count, text = candidate_preview(skill_ids=[skills["python"].pk], language_ids=[], mentee=owner)

    assert count == 2
    assert text == "2 experts could take this ask this week."
