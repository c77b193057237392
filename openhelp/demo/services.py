"""Seeding the demo organisation: a deterministic, realistic company of people who help each other.

The same seed always produces the same people, skills and links: every random choice comes from one
``random.Random(seed)`` consumed in a fixed order, and dates are offsets from ``today``.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from openhelp.demo import data
from openhelp.demo.activity import ActivitySummary, seed_activity
from openhelp.demo.activity.organisers import prepare_for_organisers
from openhelp.demo.bulk import insert
from openhelp.directory.people.models import Format, Language, Profile, SkillOffer, SkillWanted, Team
from openhelp.directory.skills.models import Skill, SkillAlias, SkillCategory, normalise_skill_name
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.clock import now

LEVEL_WEIGHTS = (10, 22, 34, 24, 10)  # levels 1–5: most people "use it regularly"
OPEN_TO_HELP_SHARE = 0.4
BATCH = 2000


class DemoAlreadySeeded(Exception):
    pass


@dataclass
class PersonPlan:
    """Everything about one seeded person, decided before anything touches the database."""

    email: str
    display_name: str
    team: str
    timezone: str
    location: str
    languages: list[str]
    headline: str
    bio: str
    colour: str
    joined_days_ago: int
    start_hour: int
    open_to_help: bool = False
    formats: list[str] = field(default_factory=list)
    sessions_per_week: int | None = None
    minutes_per_week: int | None = None
    paused_days: int | None = None  # positive: paused until that many days from today
    offers: list[tuple[str, int, str]] = field(default_factory=list)  # (skill, level, note)
    wanted: list[tuple[str, str]] = field(default_factory=list)  # (skill, note)
    is_organiser: bool = False


@dataclass(frozen=True)
class SeedSummary:
    people: int
    open_to_help: int
    teams: int
    timezones: int
    skills: int
    categories: int
    activity: ActivitySummary | None = None


def demo_logins(*, site_admin: bool = True) -> list[tuple[str, str]]:
    """(role, e-mail) of the accounts to try the product with; all use ``DEMO_PASSWORD``. The site
    administrator only where ``seed_demo`` made one (``site_admin``)."""
    logins = [
        ("mentee", data.MENTEE_EMAIL),
        ("mentor", data.MENTOR_EMAIL),
        ("organiser", data.ORGANISER_EMAIL),
    ]
    return [*logins, ("site admin", data.SITE_ADMIN_EMAIL)] if site_admin else logins


@transaction.atomic
def seed_demo(
    *,
    people: int = 300,
    seed: int = 42,
    today: dt.date | None = None,
    activity: bool = True,
    site_admin: bool = False,
) -> SeedSummary:
    """Create the demo organisation: ``people`` people (the three demo logins included) and, unless
    ``activity`` is False, their activity (``openhelp.demo.activity``: asks, sessions, office hours, kudos …).
    With ``site_admin``, also the demo site administrator (``_create_site_admin``), outside ``people``.

    Skills, categories, teams and languages that already exist are reused, so seeding next to a
    hand-made taxonomy works; seeding twice is refused (demo e-mail addresses are unique).

    The seeded world's "now" is the current hour, or noon UTC on ``today`` when it is given (so a test
    gets the same data whatever time it runs).
    """
    if today is None:
        moment = now().astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
        today = moment.date()
    else:
        moment = dt.datetime.combine(today, dt.time(12, 0), tzinfo=dt.UTC)
    plans = plan_people(count=people, seed=seed)
    if User.objects.filter(email__in=[p.email for p in plans[:3]]).exists():
        raise DemoAlreadySeeded("The demo organisation is already in this database.")
    skills = ensure_taxonomy()
    teams = ensure_teams()
    languages = ensure_languages()
    users = _create_people(plans, skills=skills, teams=teams, languages=languages, today=today)
    if site_admin:
        _create_site_admin(team=teams[plans[2].team], today=today)
    summary = None
    if activity:
        summary = seed_activity(
            plans=plans, users=users, skills=skills, languages=languages, seed=seed, moment=moment
        )
        prepare_for_organisers(summary=summary, seed=seed)
    return SeedSummary(
        people=len(plans),
        open_to_help=sum(p.open_to_help for p in plans),
        teams=len({p.team for p in plans}),
        timezones=len({p.timezone for p in plans}),
        skills=len(skills),
        categories=len({category for _, category, _, _ in data.SKILLS}),
        activity=summary,
    )


def ensure_taxonomy() -> dict[str, Skill]:
    """Categories, skills, parent links and aliases from ``openhelp.demo.data``; returns skills by name."""
    categories = {c.name: c for c in SkillCategory.objects.all()}
    missing = sorted({cat for _, cat, _, _ in data.SKILLS} - set(categories))
    SkillCategory.objects.bulk_create(SkillCategory(name=name, slug=slugify(name)) for name in missing)
    categories = {c.name: c for c in SkillCategory.objects.all()}

    existing = {s.normalised_name: s for s in Skill.objects.all()}
    taken_slugs = set(Skill.objects.values_list("slug", flat=True))
    new_skills = []
    for name, category, _, _ in data.SKILLS:
        if normalise_skill_name(name) in existing:
            continue
        slug = _unique_slug(data.SKILL_SLUGS.get(name) or slugify(name), taken_slugs)
        new_skills.append(
            # bulk_create skips Skill.save(), so the derived fields are filled in here.
            Skill(
                name=name,
                normalised_name=normalise_skill_name(name),
                slug=slug,
                category=categories[category],
                status=Skill.Status.APPROVED,
            )
        )
    Skill.objects.bulk_create(new_skills)
    by_key = {s.normalised_name: s for s in Skill.objects.all()}
    skills = {name: by_key[normalise_skill_name(name)] for name, _, _, _ in data.SKILLS}

    orphans = []
    for name, _, parent, _ in data.SKILLS:
        skill = skills[name]
        if parent and skill.parent_id is None:
            skill.parent_id = skills[parent].pk
            orphans.append(skill)
    Skill.objects.bulk_update(orphans, ["parent"])

    taken_aliases = set(SkillAlias.objects.values_list("normalised_name", flat=True)) | set(by_key)
    aliases = []
    for name, _, _, alias_names in data.SKILLS:
        for alias in alias_names:
            key = normalise_skill_name(alias)
            if key not in taken_aliases:
                taken_aliases.add(key)
                aliases.append(SkillAlias(skill=skills[name], name=alias, normalised_name=key))
    SkillAlias.objects.bulk_create(aliases)
    return skills


def ensure_teams() -> dict[str, Team]:
    for name, _, _ in data.TEAMS:
        Team.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return {t.name: t for t in Team.objects.filter(slug__in=[slugify(n) for n, _, _ in data.TEAMS])}


def ensure_languages() -> dict[str, Language]:
    return {
        code: Language.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in data.LANGUAGES.items()
    }


def plan_people(*, count: int, seed: int) -> list[PersonPlan]:
    """The whole cast as plain data: the three demo logins first, then ``count - 3`` generated people."""
    rng = random.Random(seed)
    plans = _demo_login_plans()[: max(count, 0)]
    used_emails = {p.email for p in plans}
    zone_weights = [share for _, share, *_ in data.PLACES]
    for _ in range(max(count - len(plans), 0)):
        place = rng.choices(data.PLACES, weights=zone_weights)[0]
        plans.append(_plan_person(rng, place=place, used_emails=used_emails))
    return plans


def _plan_person(rng: random.Random, *, place: tuple[Any, ...], used_emails: set[str]) -> PersonPlan:
    zone, _, cities, local_languages, given_names, family_names = place
    given, family = rng.choice(given_names), rng.choice(family_names)
    team, categories, roles = rng.choice(data.TEAMS)
    plan = PersonPlan(
        email=_unique_email(given, family, used_emails),
        display_name=f"{given} {family}",
        team=team,
        timezone=zone,
        location=rng.choice(cities),
        languages=_pick_languages(rng, local_languages),
        headline=rng.choice(roles),  # the team shows beside it, on its own line
        bio="",
        colour=rng.choice(data.AVATAR_COLOURS),
        joined_days_ago=rng.randint(1, 900),
        start_hour=rng.choice((7, 8, 8, 9, 9, 9, 10)),
        open_to_help=rng.random() < OPEN_TO_HELP_SHARE,
    )
    offer_count = rng.randint(2, 6) if plan.open_to_help else rng.randint(0, 2)
    for name in _pick_skills(rng, categories, offer_count, exclude=set()):
        level = rng.choices((1, 2, 3, 4, 5), weights=LEVEL_WEIGHTS)[0]
        plan.offers.append((name, level, rng.choice(data.OFFER_NOTES[level])))
    offered = {name for name, _, _ in plan.offers}
    for name in _pick_skills(rng, (), rng.randint(0, 3), exclude=offered):
        plan.wanted.append((name, rng.choice(data.WANTED_NOTES)))
    if plan.open_to_help:
        _plan_open_to_help(rng, plan)
    plan.bio = _bio(rng, plan)
    return plan


def _plan_open_to_help(rng: random.Random, plan: PersonPlan) -> None:
    formats = [f.value for f in Format if rng.random() < 0.5]
    plan.formats = formats or [Format.ASYNC.value]
    capacity = rng.random()
    if capacity < 0.45:
        plan.sessions_per_week = rng.randint(1, 5)
    elif capacity < 0.8:
        plan.minutes_per_week = rng.choice((30, 60, 90, 120, 180))
    else:
        plan.sessions_per_week = rng.randint(1, 3)
        plan.minutes_per_week = plan.sessions_per_week * rng.choice((30, 45, 60))
    pause = rng.random()
    if pause < 0.12:
        plan.paused_days = rng.randint(3, 45)  # on holiday, parental leave, crunch …
    elif pause < 0.17:
        plan.paused_days = -rng.randint(1, 20)  # a pause that has already ended by itself


def _pick_languages(rng: random.Random, local: tuple[str, ...]) -> list[str]:
    languages = ["en"] if rng.random() < 0.93 else []
    if rng.random() < 0.55 or not languages:
        languages.append(rng.choice(local))
    if rng.random() < 0.12:
        languages.append(rng.choice(sorted(data.LANGUAGES)))
    return sorted(set(languages))


def _pick_skills(
    rng: random.Random, categories: tuple[str, ...], count: int, *, exclude: set[str]
) -> list[str]:
    """Mostly skills from the team's categories, sometimes anything (people have side interests)."""
    anywhere = _skills_in(None)
    in_team = _skills_in(categories) if categories else ()
    chosen: list[str] = []
    while len(chosen) < count:
        pool = in_team if in_team and rng.random() < 0.75 else anywhere
        name = rng.choice(pool)
        if name not in chosen and name not in exclude:
            chosen.append(name)
    return chosen


@functools.cache
def _skills_in(categories: tuple[str, ...] | None) -> tuple[str, ...]:
    return tuple(name for name, cat, _, _ in data.SKILLS if categories is None or cat in categories)


def _bio(rng: random.Random, plan: PersonPlan) -> str:
    lines = [rng.choice(data.BIO_OPENERS).format(team=plan.team)]
    if plan.open_to_help and plan.offers:
        best = max(plan.offers, key=lambda offer: offer[1])[0]
        lines.append(rng.choice(data.BIO_HELP_LINES).format(skill=best))
    if plan.wanted:
        lines.append(rng.choice(data.BIO_LEARNING_LINES).format(skill=plan.wanted[0][0]))
    return "\n\n".join(line for line in lines if line)


def _unique_email(given: str, family: str, used: set[str]) -> str:
    local = ".".join(_ascii_slug(part) for part in (given, family))
    email, n = f"{local}@{data.DEMO_DOMAIN}", 1
    while email in used:
        n += 1
        email = f"{local}{n}@{data.DEMO_DOMAIN}"
    used.add(email)
    return email


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def _unique_slug(slug: str, taken: set[str]) -> str:
    candidate, n = slug or "skill", 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def _demo_login_plans() -> list[PersonPlan]:
    return [
        PersonPlan(
            email=data.MENTEE_EMAIL,
            display_name="Sam Rivera",
            team="Growth",
            timezone="Europe/Berlin",
            location="Berlin",
            languages=["en", "es"],
            headline="Junior full-stack engineer",
            bio="Eight months into my first engineering job. I ship fast and I ask a lot of questions.",
            colour="#0a7d6b",
            joined_days_ago=30,
            start_hour=9,
            offers=[("HTML & CSS", 2, "Happy to pair on layout bugs.")],
            wanted=[
                ("PostgreSQL", "Our checkout queries got slow and I want to understand why."),
                ("Kubernetes", "Deploys scare me."),
                ("A/B testing", "I have to analyse my first experiment by Friday."),
            ],
        ),
        PersonPlan(
            email=data.MENTOR_EMAIL,
            display_name="Priya Raman",
            team="Payments",
            timezone="Europe/London",
            location="London",
            languages=["en", "hi", "ta"],
            headline="Staff engineer",
            bio=(
                "I've run PostgreSQL in production for twelve years, mostly the boring, important parts.\n\n"
                "Bring me a slow query, a scary migration or a schema you're unsure about."
            ),
            colour="#8250df",
            joined_days_ago=800,
            start_hour=8,
            open_to_help=True,
            formats=[Format.ASYNC.value, Format.CALL_30.value, Format.OFFICE_HOURS.value],
            sessions_per_week=4,
            minutes_per_week=120,
            offers=[
                ("PostgreSQL", 5, "Query plans, indexing, migrations without downtime."),
                ("Query optimisation", 5, "Bring an EXPLAIN ANALYZE and we'll read it together."),
                ("Database design", 4, "Schemas that survive the next three product pivots."),
                ("Django", 4, "ORM performance and large-codebase structure."),
                ("Python", 4, "Idiomatic, testable Python."),
                ("Public speaking", 3, "First conference talk? I've been there."),
            ],
            wanted=[("Rust", "For a side project.")],
        ),
        PersonPlan(
            email=data.ORGANISER_EMAIL,
            display_name="Olivia Okafor",
            team="People & Talent",
            timezone="America/New_York",
            location="New York",
            languages=["en", "fr"],
            headline="L&D programme lead",
            bio="I run our micro-mentorship programme. Tell me which skills you can't find help with.",
            colour="#bc4c00",
            joined_days_ago=600,
            start_hour=9,
            open_to_help=True,
            formats=[Format.CALL_30.value, Format.CALL_60.value],
            sessions_per_week=2,
            offers=[
                ("Coaching", 4, "Career conversations and growth plans."),
                ("Giving feedback", 4, "Hard conversations, prepared calmly."),
                ("Career development", 4, "Promotion cases and growth plans."),
            ],
            is_organiser=True,
        ),
    ]


@transaction.atomic
def ensure_demo_site_admin() -> bool:
    """Add the demo site administrator to a demo organisation seeded before there was one (``make run`` on
    an existing database prints its login). True when it was added."""
    organiser = User.objects.filter(email=data.ORGANISER_EMAIL).select_related("profile").first()
    if organiser is None or User.objects.filter(email=data.SITE_ADMIN_EMAIL).exists():
        return False
    _create_site_admin(team=organiser.profile.team, today=now().date())
    return True


def _create_site_admin(*, team: Team | None, today: dt.date) -> User:
    """The one who sets company login and SCIM up (``User.is_site_admin``): a superuser, yet not staff, so
    the Django admin stays closed to the demo's published password as for every demo login."""
    user = User.objects.create(
        email=data.SITE_ADMIN_EMAIL,
        password=make_password(data.DEMO_PASSWORD),
        is_organiser=True,
        is_superuser=True,
        date_joined=dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC) - dt.timedelta(days=900),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Profile.objects.create(
        user=user,
        display_name="Sam Sato",
        headline="IT administrator · sets up company login",
        team=team,
        timezone="Europe/London",
        location="London",
        avatar_colour="#57606a",
        created_at=user.date_joined,
    )
    return user


def _create_people(
    plans: list[PersonPlan],
    *,
    skills: dict[str, Skill],
    teams: dict[str, Team],
    languages: dict[str, Language],
    today: dt.date,
) -> list[User]:
    # One hash for everyone: hashing 300 (or 10,000) passwords would take minutes.
    password = make_password(data.DEMO_PASSWORD)
    anchor = dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)
    users = [
        User(
            email=p.email,
            password=password,
            # "Organiser" is a role in the product; only a site admin is staff (Django admin).
            is_organiser=p.is_organiser,
            date_joined=anchor - dt.timedelta(days=p.joined_days_ago),
        )
        for p in plans
    ]
    insert(User, users)
    insert(
        EmailAddress,
        (EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True) for u in users),
        batch_size=BATCH,
    )
    profiles = [
        Profile(
            user_id=user.pk,
            display_name=p.display_name,
            headline=p.headline,
            bio=p.bio,
            team_id=teams[p.team].pk,
            location=p.location,
            timezone=p.timezone,
            avatar_colour=p.colour,
            working_hours_start=dt.time(p.start_hour, 0),
            working_hours_end=dt.time(p.start_hour + 8, 0),
            open_to_help=p.open_to_help,
            formats=p.formats,
            sessions_per_week=p.sessions_per_week,
            minutes_per_week=p.minutes_per_week,
            paused_until=today + dt.timedelta(days=p.paused_days) if p.paused_days else None,
            created_at=user.date_joined,
        )
        for user, p in zip(users, plans, strict=True)
    ]
    insert(Profile, profiles)
    through = Profile.languages.through
    insert(
        through,
        (
            through(profile_id=profile.pk, language_id=languages[code].pk)
            for profile, p in zip(profiles, plans, strict=True)
            for code in p.languages
        ),
        batch_size=BATCH,
    )
    insert(
        SkillOffer,
        (
            SkillOffer(profile_id=profile.pk, skill_id=skills[name].pk, level=level, note=note)
            for profile, p in zip(profiles, plans, strict=True)
            for name, level, note in p.offers
        ),
        batch_size=BATCH,
    )
    insert(
        SkillWanted,
        (
            SkillWanted(profile_id=profile.pk, skill_id=skills[name].pk, note=note)
            for profile, p in zip(profiles, plans, strict=True)
            for name, note in p.wanted
        ),
        batch_size=BATCH,
    )
    return users
