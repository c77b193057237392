"""Who is who in the demo activity: the people as plain data, the experts per skill, and the roles the
activity gives some of them (the overloaded "hub" mentors, the cross-team knowledge nodes, the gap skills).

Everything here is decided from the seeded people alone, in a fixed order, so the same seed picks the same
people for the same roles.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from openhelp.demo import data

GAP_SKILL_COUNT = 3
HUB_COUNT = 3
CONNECTOR_COUNT = 3


@dataclass
class Person:
    id: int
    email: str
    name: str
    team: str
    timezone: str
    languages: list[str]
    open_to_help: bool
    paused: bool
    sessions_per_week: int | None
    offers: dict[str, int]  # skill name → level
    wanted: list[str]


@dataclass
class Cast:
    people: list[Person]
    by_email: dict[str, Person]
    skill_ids: dict[str, int]
    moment: dt.datetime  # "now" for the seeded world: every date is an offset from it
    experts: dict[str, list[Person]] = field(default_factory=dict)  # skill → open to help, level ≥ 2
    # (the demo logins are left out: their activity is written by hand)
    gap_skills: list[str] = field(default_factory=list)
    hubs: list[Person] = field(default_factory=list)
    connectors: list[Person] = field(default_factory=list)

    @property
    def mentee(self) -> Person:
        return self.by_email[data.MENTEE_EMAIL]

    @property
    def mentor(self) -> Person:
        return self.by_email[data.MENTOR_EMAIL]

    @property
    def organiser(self) -> Person:
        return self.by_email[data.ORGANISER_EMAIL]

    @property
    def logins(self) -> set[int]:
        return {self.mentee.id, self.mentor.id, self.organiser.id}

    def others(self) -> list[Person]:
        """Everyone but the three demo logins (whose activity is written by hand)."""
        return [p for p in self.people if p.id not in self.logins]


def build_cast(plans, users, *, skills: dict, moment: dt.datetime, today: dt.date) -> Cast:
    people = [
        Person(
            id=user.pk,
            email=plan.email,
            name=plan.display_name,
            team=plan.team,
            timezone=plan.timezone,
            languages=list(plan.languages),
            open_to_help=plan.open_to_help,
            paused=bool(plan.paused_days and plan.paused_days > 0),
            sessions_per_week=plan.sessions_per_week,
            offers={name: level for name, level, _ in plan.offers},
            wanted=[name for name, _ in plan.wanted],
        )
        for user, plan in zip(users, plans, strict=True)
    ]
    cast = Cast(
        people=people,
        by_email={p.email: p for p in people},
        skill_ids={name: skill.pk for name, skill in skills.items()},
        moment=moment,
    )
    logins = cast.logins  # the demo logins' own activity is written by hand (demo.activity.logins)
    for name, *_ in data.SKILLS:
        cast.experts[name] = [
            p for p in people if p.open_to_help and p.offers.get(name, 0) >= 2 and p.id not in logins
        ]
    _pick_roles(cast)
    return cast


def _pick_roles(cast: Cast) -> None:
    logins = cast.logins
    # Gaps: skills almost nobody offers — one or two experts rather than none where the organisation has
    # such skills (ties: the most wanted first, then by name).
    wanted = {name: 0 for name in cast.experts}
    for person in cast.people:
        for name in person.wanted:
            wanted[name] += 1
    offered = {name: 0 for name in cast.experts}  # every expert, the demo logins included
    for person in cast.people:
        for name, level in person.offers.items():
            if person.open_to_help and level >= 2:
                offered[name] += 1
    ranked = sorted(cast.experts, key=lambda name: (not offered[name], offered[name], -wanted[name], name))
    cast.gap_skills = ranked[:GAP_SKILL_COUNT]
    helpers = [p for p in cast.people if p.open_to_help and not p.paused and p.id not in logins and p.offers]
    # Hubs: a small weekly capacity and skills many people need, so they end up carrying too much.
    with_cap = [p for p in helpers if p.sessions_per_week]
    with_cap.sort(key=lambda p: (p.sessions_per_week, -sum(wanted[n] for n in p.offers), p.id))
    cast.hubs = with_cap[:HUB_COUNT]
    # Knowledge nodes: the broadest helpers (most skills at level 3+) who are not already hubs.
    hub_ids = {p.id for p in cast.hubs}
    broad = [p for p in helpers if p.id not in hub_ids]
    broad.sort(key=lambda p: (-sum(level >= 3 for level in p.offers.values()), p.id))
    cast.connectors = broad[:CONNECTOR_COUNT]


def pick_expert(rng: random.Random, cast: Cast, skill: str, *, exclude: set[int]) -> Person | None:
    """An expert for ``skill``: hubs and knowledge nodes are chosen far more often than anyone else."""
    pool = [p for p in cast.experts.get(skill, ()) if p.id not in exclude and not p.paused]
    if not pool:
        return None
    hubs = {p.id for p in cast.hubs}
    nodes = {p.id for p in cast.connectors}
    weights = [8 if p.id in hubs else 4 if p.id in nodes else 1 for p in pool]
    return rng.choices(pool, weights=weights)[0]
