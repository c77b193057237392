"""Everyone else's activity: ~10 weeks of finished asks shaped for organisers' insights (skill gaps,
overloaded "hub" mentors, cross-team knowledge nodes), and a few asks of every live state.
``b`` is the ``openhelp.demo.activity.build.Builder`` collecting rows.
"""

from __future__ import annotations

import datetime as dt

from openhelp.demo.activity.asks import AskPlan
from openhelp.demo.activity.cast import Person, pick_expert
from openhelp.demo.activity.clock import at_hour, monday_utc
from openhelp.help.asks.models import AskFormat, AskState, Urgency

HISTORY_DAYS = (4, 70)  # finished asks were written between 4 and 70 days ago (~10 weeks)
MAX_HISTORY_ASKS = 1500


def history(b) -> None:
    """~10 weeks of asks from everyone else: most end well, the gap skills mostly do not."""
    cast, rng = b.cast, b.rng
    if not b.others:
        return
    count = min(max(len(cast.people), 30), MAX_HISTORY_ASKS)
    demand = [name for name in cast.experts if cast.experts[name]]
    wanted = [name for p in cast.people for name in p.wanted if cast.experts.get(name)]
    for _ in range(count):
        mentee = rng.choice(b.others)
        gap = bool(cast.gap_skills) and rng.random() < 0.22
        if gap:
            skill = rng.choice(cast.gap_skills)
        elif mentee.wanted and rng.random() < 0.5:
            skill = rng.choice(mentee.wanted)
        else:
            skill = rng.choice(wanted or demand or [n for n in cast.skill_ids])
        roll = rng.random()
        if gap:
            state = (
                AskState.UNMATCHED
                if roll < 0.4
                else AskState.EXPIRED
                if roll < 0.7
                else AskState.CANCELLED
                if roll < 0.85
                else AskState.COMPLETED
            )
        else:
            state = (
                AskState.COMPLETED
                if roll < 0.7
                else AskState.CANCELLED
                if roll < 0.8
                else AskState.EXPIRED
                if roll < 0.88
                else AskState.UNMATCHED
            )
        created = b.ago(rng.uniform(*HISTORY_DAYS))
        exclude = {mentee.id}
        helper = None
        if state == AskState.COMPLETED or (state == AskState.CANCELLED and rng.random() < 0.5):
            helper = pick_expert(rng, cast, skill, exclude=exclude)
            if helper is None:
                state = AskState.UNMATCHED if state == AskState.COMPLETED else state
            else:
                exclude.add(helper.id)
        others = b.experts(skill, exclude=exclude, n=rng.randint(0, 2))
        b.story(
            AskPlan(mentee=mentee, skill=skill, state=state, created=created, helper=helper, others=others)
        )


def hub_weeks(b) -> None:
    """Each hub carries more sessions than their weekly capacity in each of the last two weeks."""
    cast, rng = b.cast, b.rng
    this_monday = monday_utc(cast.moment)
    for weeks_ago in (1, 2):
        week = this_monday - dt.timedelta(weeks=weeks_ago)
        for hub in cast.hubs:
            skills = sorted(hub.offers, key=lambda name: (-hub.offers[name], name))
            mentees = [p for p in b.others if p.id != hub.id]
            count = (hub.sessions_per_week or 2) + rng.randint(4, 6)
            for i in range(count):
                call = week + dt.timedelta(days=2 + i % 3, hours=9 + 2 * (i // 3))
                b.story(
                    AskPlan(
                        mentee=rng.choice(mentees),
                        skill=skills[i % min(2, len(skills))],
                        state=AskState.COMPLETED,
                        created=call - dt.timedelta(hours=rng.uniform(36, 44)),
                        helper=hub,
                        format=AskFormat.CALL_30,
                        call_at=call,
                        urgency=Urgency.THIS_WEEK,
                    )
                )


def knowledge_nodes(b) -> None:
    """A few people help across many teams: one completed ask from each of up to seven teams."""
    cast, rng = b.cast, b.rng
    for node in cast.connectors:
        skills = sorted(node.offers, key=lambda name: (-node.offers[name], name))[:3]
        by_team: dict[str, list[Person]] = {}
        for person in b.others:
            if person.team != node.team and person.id != node.id:
                by_team.setdefault(person.team, []).append(person)
        for team in sorted(by_team)[:7]:
            b.story(
                AskPlan(
                    mentee=rng.choice(by_team[team]),
                    skill=rng.choice(skills),
                    state=AskState.COMPLETED,
                    created=b.ago(rng.uniform(*HISTORY_DAYS)),
                    helper=node,
                )
            )


def live_asks(b) -> None:
    """Asks still in progress across the organisation (a few of every live state)."""
    cast, rng = b.cast, b.rng
    if not b.others:
        return
    per_state = min(max(len(cast.people) // 60, 2), 20)
    for state in (
        AskState.DRAFT,
        AskState.OPEN,
        AskState.OFFERED,
        AskState.ACCEPTED,
        AskState.SCHEDULED,
        AskState.ANSWERED,
        AskState.UNMATCHED,
    ):
        for _ in range(per_state):
            mentee = rng.choice(b.others)
            skill = rng.choice(mentee.wanted or [n for n in cast.experts if cast.experts[n]] or ["Python"])
            helper = b.helper_for(skill, exclude={mentee.id})
            plan = AskPlan(mentee=mentee, skill=skill, state=state, created=b.ago(rng.uniform(1, 2.5)))
            if state == AskState.OFFERED:
                plan.created = b.ago(hours=rng.uniform(1, 8))
                plan.others = b.experts(skill, exclude={mentee.id}, n=3) or ([helper] if helper else [])
                if not plan.others:
                    continue
            elif state == AskState.OPEN:
                if helper is None:
                    continue
                plan.directed = helper
            elif state in (AskState.ACCEPTED, AskState.SCHEDULED, AskState.ANSWERED):
                if helper is None:
                    continue
                plan.helper = helper
                plan.format = AskFormat.ASYNC if state == AskState.ANSWERED else AskFormat.CALL_30
                if state == AskState.SCHEDULED:
                    plan.call_at = at_hour(
                        cast.moment + dt.timedelta(days=rng.randint(1, 6)), rng.randint(8, 16)
                    )
            b.story(plan)
