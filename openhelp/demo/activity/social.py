"""Demo informal help: moments (and the weekly "three moments" challenge), introductions with their
thread, kudos outside sessions, and learning goals.

Rows match ``openhelp.community.moments.services.log_moment``, ``openhelp.community.moments.introductions.introduce`` / ``answer`` (an
introduction logs the introducer's "introduction" moment; both answers "accepted" connect it),
``openhelp.community.recognition.services.give_kudos`` and ``openhelp.community.goals.services``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from openhelp.community.goals.models import LearningGoal
from openhelp.community.moments.models import (
    Answer,
    Introduction,
    IntroductionMessage,
    IntroductionState,
    Moment,
    MomentKind,
)
from openhelp.community.recognition.models import Kudos
from openhelp.demo.activity import texts
from openhelp.demo.activity.cast import Cast, Person
from openhelp.platform.lib.clock import start_of_week


@dataclass
class SocialRows:
    moments: list[Moment] = field(default_factory=list)
    introductions: list[Introduction] = field(default_factory=list)
    intro_messages: list[IntroductionMessage] = field(default_factory=list)
    kudos: list[Kudos] = field(default_factory=list)
    goals: list[LearningGoal] = field(default_factory=list)
    goal_skills: list[tuple[LearningGoal, int]] = field(default_factory=list)


def moment_for(
    rows: SocialRows, rng: random.Random, author: Person, at: dt.datetime, *, person=None
) -> Moment:
    kind = rng.choice(list(MomentKind))
    if kind == MomentKind.INTRODUCTION:
        kind = MomentKind.INSIGHT  # introductions log their own moment (see introduce)
    moment = Moment(
        author_id=author.id,
        kind=kind,
        person_id=person.id if person else None,
        note=rng.choice(texts.MOMENT_NOTES[kind]),
        is_public=rng.random() < 0.3,
        occurred_at=at,
        created_at=at,
    )
    rows.moments.append(moment)
    return moment


def challenge_weeks(
    rows: SocialRows, rng: random.Random, cast: Cast, author: Person, per_week: list[int], *, others
) -> None:
    """``per_week[0]`` moments this week (so far), ``per_week[1]`` last week, … in the author's zone."""
    monday = start_of_week(cast.moment, author.timezone)
    for weeks_ago, count in enumerate(per_week):
        start = monday - dt.timedelta(weeks=weeks_ago)
        end = cast.moment if weeks_ago == 0 else start + dt.timedelta(days=5)
        for i in range(count):
            at = start + (end - start) * (i + 1) / (count + 1)
            moment_for(rows, rng, author, at.astimezone(dt.UTC), person=rng.choice(others))


def introduce(
    rows: SocialRows,
    rng: random.Random,
    *,
    introducer: Person,
    first: Person,
    second: Person,
    at: dt.datetime,
    state: str,
    moment: dt.datetime,
) -> Introduction:
    note = rng.choice(texts.INTRODUCTION_NOTES).format(first=first.name, second=second.name)
    intro = Introduction(
        introducer_id=introducer.id, first_id=first.id, second_id=second.id, note=note, created_at=at
    )
    if state == IntroductionState.CONNECTED:
        intro.first_answer = intro.second_answer = Answer.ACCEPTED
        intro.state, intro.connected_at = state, min(at + dt.timedelta(hours=rng.randint(1, 30)), moment)
        for i, author in enumerate((first, second)):
            rows.intro_messages.append(
                IntroductionMessage(
                    introduction=intro,
                    author_id=author.id,
                    body=texts.INTRODUCTION_MESSAGES[i],
                    created_at=min(intro.connected_at + dt.timedelta(hours=i + 1), moment),
                )
            )
    elif state == IntroductionState.NOT_THIS_TIME:
        intro.first_answer, intro.second_answer = Answer.ACCEPTED, Answer.DECLINED
        intro.state, intro.closed_at = state, min(at + dt.timedelta(hours=rng.randint(1, 30)), moment)
    elif rng.random() < 0.5:
        intro.first_answer = Answer.ACCEPTED  # one has said yes; the other has not answered yet
    rows.introductions.append(intro)
    rows.moments.append(
        Moment(
            author_id=introducer.id,
            kind=MomentKind.INTRODUCTION,
            note=f"Introduced {first.name} to {second.name}"[:200],
            person_id=first.id,
            introduction=intro,
            occurred_at=at,
            created_at=at,
        )
    )
    return intro


def kudos(
    rows: SocialRows, rng: random.Random, cast: Cast, giver: Person, receiver: Person, at, *, skill=None
):
    rows.kudos.append(
        Kudos(
            giver_id=giver.id,
            receiver_id=receiver.id,
            skill_id=cast.skill_ids[skill] if skill else None,
            message=rng.choice(texts.KUDOS_MESSAGES),
            public=rng.random() < 0.85,
            created_at=at,
        )
    )


def goal(
    rows: SocialRows,
    rng: random.Random,
    cast: Cast,
    owner: Person,
    skills: list[str],
    *,
    created: dt.datetime,
    target: dt.date,
    achieved: dt.datetime | None = None,
    title: str = "",
) -> LearningGoal:
    learning_goal = LearningGoal(
        owner_id=owner.id,
        title=(title or rng.choice(texts.GOAL_TITLES).format(skill=skills[0]))[:120],
        why=rng.choice(texts.GOAL_WHY),
        target_date=target,
        achieved_at=achieved,
        created_at=created,
        updated_at=achieved or created,
    )
    rows.goals.append(learning_goal)
    rows.goal_skills.extend((learning_goal, cast.skill_ids[name]) for name in skills)
    return learning_goal
