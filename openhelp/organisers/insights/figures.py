"""Every insights figure, computed from the roll-ups with a fixed number of queries whatever the data size.

``report(filters)`` returns plain data (dicts, lists, numbers, ISO dates) that the dashboard renders, the
API returns as JSON and the CSV downloads flatten (``tables``): one function computes all three.
Team filter: asks and outcomes count by the mentee's team, load by the mentor's team, people by their own.
People figures (active, load, burnout) use whole ISO weeks (Monday–Sunday) overlapping the range; moments
count by day (and not within a programme: see ``_moments_logged``). Which selections may be shown at all is
decided by ``openhelp.organisers.insights.privacy`` (see ``report``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Least

from openhelp.directory.people.models import Profile, SkillOffer, available_q
from openhelp.directory.programmes.models import Membership
from openhelp.directory.skills.models import Skill
from openhelp.organisers.insights import buckets, population, privacy
from openhelp.organisers.insights.models import (
    ROLE_ANYONE,
    ROLE_MENTEE,
    ROLE_MENTOR,
    WHOLE_ORGANISATION,
    ActiveWeek,
    AskDay,
    DurationDay,
    DurationTotalDay,
    LoadDistribution,
    MomentDay,
    PersonWeek,
    RecentLoad,
    SessionDay,
    SkillDay,
    SkillTotalDay,
)
from openhelp.organisers.insights.rollup import monday
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.sql import prefers_plain_joins

DEFAULT_WEEKS = 12
TOP_SHARE = 0.10
SECTIONS = ("skills", "speed", "participation", "teams", "load")


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date  # inclusive
    team_id: int | None = None
    programme_id: int | None = None

    @classmethod
    def default(cls, **kwargs) -> Filters:
        today = now().date()
        return cls(
            start=today - dt.timedelta(weeks=DEFAULT_WEEKS) + dt.timedelta(days=1), end=today, **kwargs
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> float:
        return self.days / 7

    def previous(self) -> Filters:
        span = dt.timedelta(days=self.days)
        return Filters(self.start - span, self.end - span, self.team_id, self.programme_id)

    def day_q(self, *, team: bool = True) -> Q:
        q = Q(day__range=(self.start, self.end))
        if team and self.team_id is not None:
            q &= Q(team_id=self.team_id)
        if self.programme_id is not None:
            q &= Q(programme_id=self.programme_id)
        return q

    @property
    def unfiltered(self) -> bool:
        """The whole organisation, every team: served by the organisation-wide roll-up rows."""
        return self.team_id is None and self.programme_id is None

    @property
    def scope(self) -> int:
        return WHOLE_ORGANISATION if self.programme_id is None else self.programme_id

    def week_q(self, *, team: bool = True) -> Q:
        q = Q(week__range=(monday(self.start), monday(self.end)))
        if team and self.team_id is not None:
            q &= Q(team_id=self.team_id)
        if self.programme_id is not None:
            q &= Q(programme_id=self.programme_id)
        return q


# Where a report reads the experts open to help per skill (``open_supply`` or a remembered copy of it).
SupplyReader = Callable[[Filters], dict[int, dict]]


# --- people in scope ------------------------------------------------------------------------------------


def _profiles(filters: Filters):

    profiles = Profile.objects.all()
    if filters.team_id is not None:
        profiles = profiles.filter(team_id=filters.team_id)
    if filters.programme_id is not None:
        members = Membership.objects.filter(programme_id=filters.programme_id).values("user_id")
        profiles = profiles.filter(user_id__in=members)
    return profiles


def report(filters: Filters, *, read_supply: SupplyReader | None = None) -> dict:
    """All sections, or none: every selection (the organisation, a programme, a team, a team within a
    programme) is shown only if ``openhelp.organisers.insights.privacy`` releases it, so no figure and no difference between
    two figures covers fewer than MIN_GROUP_SIZE people. The date range does not change who is counted.
    ``read_supply``: where the experts open to help per skill come from (default ``open_supply``, read now;
    ``cache.cached_report`` passes one that remembers them a while)."""
    people_now = population.current()
    team = people_now.team_label(filters.team_id) if filters.team_id is not None else None
    released = people_now.release
    base = {
        "filters": {
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "from": filters.start.isoformat(),  # the old names of start and end, for one release (docs/api.md)
            "to": filters.end.isoformat(),
            "team": filters.team_id,
            "programme": filters.programme_id,
        },
        "people": None,
        "min_group_size": released.min_size,
    }
    refusal = released.refusal(team=team, programme=filters.programme_id)
    if refusal is not None:
        return {**base, "hidden": refusal}
    people = released.people(team=team, programme=filters.programme_id)
    active, weekly = activity(filters)
    return {
        **base,
        "people": people,
        "hidden": None,
        "skills": skill_ledger(filters, read_supply=read_supply),
        "speed": speed_and_outcomes(filters),
        "participation": participation(filters, people=people, active=active, weekly=weekly),
        "teams": teams(filters, active=active, people_now=people_now) if filters.team_id is None else [],
        "load": load_and_fairness(filters),
    }


# --- skill ledger -----------------------------------------------------------------------------------------


def _skill_sums(filters: Filters) -> dict[int, dict]:
    if filters.unfiltered:
        rows = SkillTotalDay.objects.filter(day__range=(filters.start, filters.end))
    else:
        rows = SkillDay.objects.filter(filters.day_q())
    rows = (
        rows.values("skill_id")
        .annotate(
            made=Sum("made"),
            accepted=Sum("accepted"),
            unmatched=Sum("unmatched"),
            minutes=Sum("accept_minutes"),
        )
        .order_by()
    )
    return {row["skill_id"]: row for row in rows}


def open_supply(filters: Filters) -> dict[int, dict]:
    """Skill id → {"experts", "capacity"}: the people in scope open to help today who offer it, and the
    sum of their weekly capacity. Read live from the people tables (no event follows every change to a
    profile or an offer), so it grows with the organisation: ``cache.remembered_supply`` keeps it a while."""
    offers = _open_offers(filters, join=prefers_plain_joins())
    return {
        row["skill_id"]: {"experts": row["experts"], "capacity": row["capacity"]}
        for row in offers.values("skill_id")
        .annotate(experts=Count("profile_id"), capacity=Sum("profile__sessions_per_week"))
        .order_by()
    }


def skill_ledger(filters: Filters, *, read_supply: SupplyReader | None = None) -> list[dict]:
    """Per skill: asks made vs experts open to help and their weekly capacity, ranked as skill gaps.
    ``read_supply``: where the experts come from (default ``open_supply``, read now)."""

    demand = _skill_sums(filters)
    before = _skill_sums(filters.previous())
    supply = (read_supply or open_supply)(filters)
    ids = set(demand) | set(supply)
    names = dict(Skill.objects.filter(pk__in=ids).values_list("pk", "name"))
    ledger = []
    for skill_id in ids:
        asked = demand.get(skill_id, {})
        made = asked.get("made") or 0
        accepted = asked.get("accepted") or 0
        experts = supply.get(skill_id, {}).get("experts") or 0
        capacity = supply.get(skill_id, {}).get("capacity") or 0
        previous = (before.get(skill_id) or {}).get("made") or 0
        per_week = made / filters.weeks
        ledger.append(
            {
                "skill_id": skill_id,
                "skill": names.get(skill_id, f"#{skill_id}"),
                "asks": made,
                "asks_per_week": round(per_week, 2),
                "experts": experts,
                "capacity_per_week": capacity,
                "unmatched_share": _share(asked.get("unmatched") or 0, made),
                "mean_hours_to_accept": round(asked["minutes"] / accepted / 60, 1) if accepted else None,
                "pressure": round(per_week / capacity, 2) if capacity else None,
                "asks_previous_period": previous,
                "trend": _trend(made, previous),
            }
        )
    ledger.sort(key=_gap_rank)
    for row in ledger:
        row["action"] = _skill_action(row)
    return ledger


def _open_offers(filters: Filters, *, join: bool):
    """Skills offered by the people in scope who are open to help today. ``join``: as a plain join of
    offers and profiles (PostgreSQL hashes it in half the time); else through IN (open profiles), which
    SQLite walks faster (the open profiles' index, then each one's offers). Both give the same rows."""

    today = now().date()
    open_profiles = _profiles(filters).available(today)
    if not join:
        return SkillOffer.objects.filter(profile_id__in=open_profiles.values("pk"))
    offers = SkillOffer.objects.filter(available_q(today, prefix="profile__"))
    if filters.team_id is not None:
        offers = offers.filter(profile__team_id=filters.team_id)
    if filters.programme_id is not None:
        offers = offers.filter(profile_id__in=open_profiles.values("pk"))
    return offers


def _gap_rank(row: dict):
    """Biggest gap first: asked with no capacity at all (the most asked first: all of it goes unmet), then
    demand ÷ capacity, then unmatched share. The dashboard's chart shows both sides, so its order reads."""
    no_capacity = row["asks"] > 0 and not row["capacity_per_week"]
    return (
        not no_capacity,
        -(row["asks_per_week"] if no_capacity else row["pressure"] or 0),
        -(row["unmatched_share"] or 0),
        -row["asks"],
        row["skill"],
    )


def _skill_action(row: dict) -> str:
    if row["asks"] and not row["experts"]:
        return f"Nobody offers {row['skill']}: invite people who know it to be open to help."
    if row["pressure"] is not None and row["pressure"] > 1:
        return (
            f"Demand for {row['skill']} exceeds capacity: ask its experts for office hours or recruit more."
        )
    if row["unmatched_share"] and row["unmatched_share"] >= 0.25:
        return f"Many {row['skill']} asks go unmatched: check its experts' formats and availability."
    return ""


def _share(part: int | float, whole: int | float) -> float | None:
    return round(part / whole, 4) if whole else None


def _trend(current: int, previous: int) -> float | None:
    """Relative change against the previous period of the same length (None when there was nothing)."""
    return round((current - previous) / previous, 4) if previous else None


# --- speed and outcomes -----------------------------------------------------------------------------------


def speed_and_outcomes(filters: Filters) -> dict:
    overall: dict[str, dict[int, int]] = {"accept": defaultdict(int), "help": defaultdict(int)}
    weekly: dict[dt.date, dict[str, dict[int, int]]] = defaultdict(lambda: {"accept": {}, "help": {}})
    if filters.unfiltered:  # already one row per day and bucket: summed by week in the database
        durations = (
            DurationTotalDay.objects.filter(day__range=(filters.start, filters.end))
            .values("week", "metric", "bucket")
            .annotate(n=Sum("count"))
            .order_by()
        )
    else:
        durations = (
            DurationDay.objects.filter(filters.day_q())
            .values("day", "metric", "bucket")
            .annotate(n=Sum("count"))
            .order_by()
        )
    for row in durations:
        overall[row["metric"]][row["bucket"]] += row["n"]
        histogram = weekly[row["week"] if "week" in row else monday(row["day"])][row["metric"]]
        histogram[row["bucket"]] = histogram.get(row["bucket"], 0) + row["n"]
    asks = AskDay.objects.filter(filters.day_q()).aggregate(
        made=Sum("made"), accepted=Sum("accepted"), unmatched=Sum("unmatched"), completed=Sum("completed")
    )
    fields = [
        "with_outcome",
        "solved",
        "rated",
        "rating_sum",
        "feedback_texts",
        *[f"rating_{i}" for i in range(1, 6)],
    ]
    outcome_rows = (
        SessionDay.objects.filter(filters.day_q())
        .values("day")
        .annotate(**{name: Sum(name) for name in fields})
        .order_by()
    )
    totals = dict.fromkeys(fields, 0)
    solved_weekly: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in outcome_rows:
        for name in fields:
            totals[name] += row[name] or 0
        solved_weekly[monday(row["day"])][0] += row["solved"] or 0
        solved_weekly[monday(row["day"])][1] += row["with_outcome"] or 0
    series = []
    for week in _weeks(filters):
        hist = weekly.get(week, {"accept": {}, "help": {}})
        solved, outcomes = solved_weekly.get(week, (0, 0))
        series.append(
            {
                "week": week.isoformat(),
                "accept_p50_minutes": buckets.percentile(hist["accept"], 50),
                "accept_p90_minutes": buckets.percentile(hist["accept"], 90),
                "help_p50_minutes": buckets.percentile(hist["help"], 50),
                "help_p90_minutes": buckets.percentile(hist["help"], 90),
                "solved_rate": _share(solved, outcomes),
            }
        )
    made = asks["made"] or 0
    return {
        "asks": made,
        "accepted": asks["accepted"] or 0,
        "unmatched_share": _share(asks["unmatched"] or 0, made),
        "accept_p50_minutes": buckets.percentile(overall["accept"], 50),
        "accept_p90_minutes": buckets.percentile(overall["accept"], 90),
        "help_p50_minutes": buckets.percentile(overall["help"], 50),
        "help_p90_minutes": buckets.percentile(overall["help"], 90),
        "solved_rate": _share(totals["solved"], totals["with_outcome"]),
        "debriefs_with_outcome": totals["with_outcome"],
        "ratings": {
            "count": totals["rated"],
            "mean": round(totals["rating_sum"] / totals["rated"], 2) if totals["rated"] else None,
            "distribution": {str(i): totals[f"rating_{i}"] for i in range(1, 6)},
        },
        # Feedback text stays between mentee and mentor: organisers see only how many wrote some.
        "feedback_texts": totals["feedback_texts"],
        "weekly": series,
    }


def _weeks(filters: Filters) -> list[dt.date]:
    first, last = monday(filters.start), monday(filters.end)
    return [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


# --- participation ----------------------------------------------------------------------------------------


def _is_mentee() -> Q:
    return Q(mentee_sessions__gt=0) | Q(asks__gt=0)


def active_by_team(filters: Filters) -> dict[int | None, dict]:
    """Distinct active people per team, counted straight from ``PersonWeek`` (one row per person and
    week): the from-scratch reference for ``activity``, which the report uses."""
    rows = (
        PersonWeek.objects.filter(filters.week_q())
        .values("team_id")
        .annotate(
            mentees=Count("user_id", filter=_is_mentee(), distinct=True),
            mentors=Count("user_id", filter=Q(mentor_sessions__gt=0), distinct=True),
            anyone=Count("user_id", distinct=True),
        )
        .order_by()
    )
    return {row["team_id"]: row for row in rows}


_ROLE_NAMES = {ROLE_MENTEE: "mentees", ROLE_MENTOR: "mentors", ROLE_ANYONE: "anyone"}


def activity(filters: Filters) -> tuple[dict[int | None, dict], dict[dt.date, dict]]:
    """Distinct active people per team over the range's weeks, and per week, in one query over
    ``ActiveWeek`` (a few rows per week and team, whatever the number of people): a person counts in
    the range at their first active week in it, i.e. where the previous active week is before the range.
    A person has one team on all their rows, so the per-team counts add up to the overall ones."""
    first = monday(filters.start)
    rows = ActiveWeek.objects.filter(scope=filters.scope, week__range=(first, monday(filters.end)))
    if filters.team_id is not None:
        rows = rows.filter(team_id=filters.team_id)
    rows = (
        rows.values("week", "team_id", "role")
        .annotate(
            in_week=Sum("count"),
            first_in_range=Sum("count", filter=Q(previous_week__isnull=True) | Q(previous_week__lt=first)),
        )
        .order_by()
    )
    by_team: dict[int | None, dict] = defaultdict(
        lambda: {"team_id": None, **dict.fromkeys(_ROLE_NAMES.values(), 0)}
    )
    by_week: dict[dt.date, dict] = defaultdict(lambda: dict.fromkeys(_ROLE_NAMES.values(), 0))
    for row in rows:
        name = _ROLE_NAMES[row["role"]]
        team = by_team[row["team_id"]]
        team["team_id"] = row["team_id"]
        team[name] += row["first_in_range"] or 0
        by_week[row["week"]][name] += row["in_week"] or 0
    return dict(by_team), dict(by_week)


def _moments_logged(filters: Filters) -> int | None:
    """Moments logged in the range, by day and the author's team; None within a programme.

    Moments belong to no programme. Counting a programme's members' moments would move a person's whole
    history into (or out of) the programme's figures the moment they join (or leave), so comparing the
    figure before and after one member joins would give that member's count: within a programme the
    figure is not shown. (Every other programme figure counts asks and sessions made in the programme,
    which joining or leaving does not change.)"""
    if filters.programme_id is not None:
        return None
    moments = MomentDay.objects.filter(filters.day_q())
    return moments.aggregate(n=Sum("count"))["n"] or 0


def participation(filters: Filters, *, people: int, active: dict, weekly: dict) -> dict:
    completed = SessionDay.objects.filter(filters.day_q()).aggregate(n=Sum("completed"))["n"] or 0
    density = completed / (people / 100) / filters.weeks if people else None
    return {
        "people": people,
        "active_mentees": sum(row["mentees"] for row in active.values()),
        "active_mentors": sum(row["mentors"] for row in active.values()),
        "sessions_completed": completed,
        "learning_density": round(density, 2) if density is not None else None,
        "moments_logged": _moments_logged(filters),
        "weekly": [
            {
                "week": week.isoformat(),
                "active_mentees": weekly.get(week, {}).get("mentees", 0),
                "active_mentors": weekly.get(week, {}).get("mentors", 0),
            }
            for week in _weeks(filters)
        ],
    }


# --- teams (k-anonymous) ----------------------------------------------------------------------------------


def teams(filters: Filters, *, active: dict, people_now: population.People) -> list[dict]:
    """People, active people and completed sessions per shown group of teams (``openhelp.organisers.insights.privacy``):
    the same groups for the organisation and within every programme, each covering at least
    MIN_GROUP_SIZE people, "Other" last."""
    sizes = people_now.release.group_sizes(filters.programme_id)
    sessions = (
        SessionDay.objects.filter(filters.day_q(team=False))
        .values("team_id")
        .annotate(n=Sum("completed"))
        .order_by()
    )
    active_by: dict[str, int] = defaultdict(int)
    for team_id, row in active.items():
        group = people_now.shown_group(team_id)
        if group is not None:
            active_by[group] += row["anyone"]
    sessions_by: dict[str, int] = defaultdict(int)
    for row in sessions:
        group = people_now.shown_group(row["team_id"])
        if group is not None:
            sessions_by[group] += row["n"] or 0
    order = sorted(sizes, key=lambda group: (group == privacy.OTHER_LABEL, group))
    return [
        {
            "team": group,
            "people": sizes[group],
            "active_people": active_by.get(group, 0),
            "sessions_completed": sessions_by.get(group, 0),
        }
        for group in order
    ]


# --- load and fairness ------------------------------------------------------------------------------------


def gini(values: list[int | float]) -> float | None:
    """0 = everyone carries the same, → 1 = one person carries everything."""
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if n == 0 or total == 0:
        return None
    weighted = sum((i + 1) * x for i, x in enumerate(ordered))
    return round(2 * weighted / (n * total) - (n + 1) / n, 4)


def top_share(values: list[int | float], fraction: float = TOP_SHARE) -> float | None:
    """Share of the total carried by the top ``fraction`` of people (at least one person)."""
    ordered = sorted(values, reverse=True)
    total = sum(ordered)
    if not total:
        return None
    top = max(1, math.ceil(len(ordered) * fraction))
    return round(sum(ordered[:top]) / total, 4)


def _distribution(filters: Filters) -> tuple[int, int, float | None, float | None]:
    """(mentors, sessions, top-10 % share, Gini) in one query: the database ranks the per-mentor totals
    (window functions, SQLite ≥ 3.25 and PostgreSQL), so no per-mentor row reaches Python.
    Same formulas as ``gini`` and ``top_share``; ceil(n / 10) is ``(n + 9) / 10`` in integers."""
    totals = (
        PersonWeek.objects.filter(filters.week_q(), mentor_sessions__gt=0)
        .values("user_id")
        .annotate(n=Sum("mentor_sessions"))
        .values("n")
        .order_by()
    )
    inner, params = totals.query.sql_with_params()
    sql = f"""
        SELECT COUNT(*), SUM(n), SUM(r_asc * n), SUM(CASE WHEN r_desc <= (cnt + 9) / 10 THEN n ELSE 0 END)
        FROM (
            SELECT n, ROW_NUMBER() OVER (ORDER BY n) AS r_asc, ROW_NUMBER() OVER (ORDER BY n DESC) AS r_desc,
                   COUNT(*) OVER () AS cnt
            FROM ({inner}) AS totals
        ) AS ranked
    """  # noqa: S608 - the inner query is Django's, with its parameters passed separately
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, total, weighted, top = cursor.fetchone()
    if not count or not total:
        return count or 0, int(total or 0), None, None
    count, total, weighted, top = int(count), int(total), int(weighted), int(top)  # PostgreSQL: Decimal
    coefficient = round(2 * weighted / (count * total) - (count + 1) / count, 4)
    return count, int(total), round(top / total, 4), coefficient


def _stored_distribution(filters: Filters) -> tuple[int, int, float | None, float | None] | None:
    """The same four figures from ``LoadDistribution`` (a histogram of per-mentor totals kept for the
    standard periods), or None when this period is not kept. One query; exact: equal totals tie, so the
    ranks' weighted sum and the top share come out of the histogram unchanged."""
    rows = LoadDistribution.objects.filter(
        Q(scope=WHOLE_ORGANISATION, team_id=None, sessions=0)
        | Q(scope=filters.scope, team_id=filters.team_id),
        first_week=monday(filters.start),
        last_week=monday(filters.end),
    ).values_list("sessions", "mentors")
    rows = list(rows)
    if not any(sessions == 0 for sessions, _ in rows):
        return None  # not computed for this period: the caller asks the live query
    histogram = sorted((sessions, mentors) for sessions, mentors in rows if sessions and mentors)
    count = sum(mentors for _, mentors in histogram)
    total = sum(sessions * mentors for sessions, mentors in histogram)
    if not count or not total:
        return count, total, None, None
    weighted, rank = 0, 0
    for sessions, mentors in histogram:  # ranks rank+1 … rank+mentors share one value
        weighted += sessions * (mentors * rank + mentors * (mentors + 1) // 2)
        rank += mentors
    top, left = 0, (count + 9) // 10
    for sessions, mentors in reversed(histogram):
        take = min(left, mentors)
        top, left = top + take * sessions, left - take
        if not left:
            break
    coefficient = round(2 * weighted / (count * total) - (count + 1) / count, 4)
    return count, total, round(top / total, 4), coefficient


def load_distribution(filters: Filters) -> tuple[int, int, float | None, float | None]:
    """(mentors, sessions, top-10 % share, Gini): from the kept histogram for a standard period, else
    ranked live over ``PersonWeek``."""
    stored = _stored_distribution(filters)
    return stored if stored is not None else _distribution(filters)


def _last_full_weeks(filters: Filters) -> tuple[dt.date, dt.date]:
    """The last two complete ISO weeks that end on or before the range's end."""
    last = monday(filters.end) if filters.end.weekday() == 6 else monday(filters.end) - dt.timedelta(weeks=1)
    return last - dt.timedelta(weeks=1), last


def _capacity():

    return Subquery(Profile.objects.filter(user_id=OuterRef("user_id")).values("sessions_per_week")[:1])


def _over_capacity(filters: Filters, first: dt.date, second: dt.date) -> dict[int, tuple[int, int]]:
    """Mentor → sessions in the two weeks, for those over their capacity in both, counted from
    ``PersonWeek`` and decided by the database: only the mentors alerted reach Python."""
    recent = (
        PersonWeek.objects.filter(filters.week_q(), mentor_sessions__gt=0, week__in=(first, second))
        .values("user_id")
        .annotate(
            a=Coalesce(Sum("mentor_sessions", filter=Q(week=first)), 0),
            b=Coalesce(Sum("mentor_sessions", filter=Q(week=second)), 0),
            cap=_capacity(),
        )
        .filter(a__gt=F("cap"), b__gt=F("cap"))
        .order_by()
    )
    return {row["user_id"]: (row["a"], row["b"]) for row in recent}


def _stored_over_capacity(filters: Filters, first: dt.date, second: dt.date) -> dict | None:
    """The same from ``RecentLoad`` (mentors busy in both weeks, kept for the standard periods), or None
    when those weeks are not kept or the range cuts them. One query."""
    if first < monday(filters.start):
        return None  # the range starts after the first week: it counts as 0 there (see week_q)
    rows = (
        RecentLoad.objects.filter(first_week=first, second_week=second)
        .filter(
            Q(user_id=0, scope=WHOLE_ORGANISATION, team_id=None)
            | Q(scope=filters.scope, team_id=filters.team_id, user_id__gt=0)
        )
        .alias(busy=Least("first", "second"))  # over capacity in both weeks = the quieter one is over
        .filter(Q(user_id=0) | Q(busy__gt=_capacity()))  # one capacity look-up per candidate
        .values_list("user_id", "first", "second")
    )
    found = {user_id: (a, b) for user_id, a, b in rows}
    if found.pop(0, None) is None:
        return None
    return found


def load_and_fairness(filters: Filters) -> dict:

    active_mentors, sessions, share, coefficient = load_distribution(filters)
    first, second = _last_full_weeks(filters)
    by_mentor = _stored_over_capacity(filters, first, second)
    if by_mentor is None:
        by_mentor = _over_capacity(filters, first, second)
    capacities = {
        row["user_id"]: row
        for row in Profile.objects.filter(
            user_id__in=list(by_mentor), sessions_per_week__isnull=False
        ).values("user_id", "pk", "display_name", "sessions_per_week")
    }
    alerts = []
    for user_id, (a, b) in by_mentor.items():
        profile = capacities.get(user_id)
        if profile is None:
            continue
        cap = profile["sessions_per_week"]
        if a > cap and b > cap:
            alerts.append(
                {
                    "profile_id": profile["pk"],
                    "mentor": profile["display_name"],
                    "capacity_per_week": cap,
                    "sessions": [a, b],
                    "weeks": [first.isoformat(), second.isoformat()],
                    "action": (
                        f"Check in with {profile['display_name']}: {a} then {b} sessions against a capacity of "
                        f"{cap} a week. Suggest a pause or a lower capacity, and route their skills to others."
                    ),
                }
            )
    alerts.sort(key=lambda alert: (-sum(alert["sessions"]), alert["mentor"]))
    actions = []
    if share is not None and share > 0.5:
        actions.append(
            "The top 10 % of mentors carry more than half the sessions: invite more experts to be open to help."
        )
    return {
        "active_mentors": active_mentors,
        "sessions": sessions,
        "top_10_percent_share": share,
        "gini": coefficient,
        "burnout_alerts": alerts,
        "actions": actions,
    }
