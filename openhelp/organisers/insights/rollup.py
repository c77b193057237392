"""Build the insights roll-ups from the raw tables, for any set of days or from scratch.

``refresh_days`` is the only writer: it deletes the roll-up rows of the given days (and of their ISO
weeks, for ``PersonWeek``) and recomputes them from asks, sessions, debriefs and moments. An incremental
update and a full ``rebuild`` therefore run the same code; tests prove ``openhelp.organisers.insights.consumer`` finds every
day a domain event touches by comparing the two (tests/outbox).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from openhelp.community.moments.models import Moment
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.mentoring.models import Outcome, Session, SessionState
from openhelp.organisers.insights import buckets
from openhelp.organisers.insights.dimensions import ask_programme, session_programme
from openhelp.organisers.insights.models import (
    ROLE_ANYONE,
    ROLE_MENTEE,
    ROLE_MENTOR,
    WHOLE_ORGANISATION,
    ActiveWeek,
    AskDay,
    DirtyDay,
    DurationDay,
    DurationTotalDay,
    LoadDistribution,
    MomentDay,
    PersonWeek,
    RecentLoad,
    RollupVersion,
    SessionDay,
    SkillDay,
    SkillTotalDay,
)
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.sql import advisory_xact_lock

logger = logging.getLogger(__name__)

ROLLUPS = (AskDay, SkillDay, DurationDay, SessionDay, MomentDay, PersonWeek)
# Derived from the roll-ups above (never from the raw tables): refreshed in the same transaction.
DERIVED = (SkillTotalDay, DurationTotalDay, ActiveWeek, LoadDistribution, RecentLoad)
DAY_TOTALS = (SkillTotalDay, DurationTotalDay)
ID_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit
CHUNK = 5000
ADVISORY_KEY = 0x1D_5167  # one lock for every roll-up writer (PostgreSQL); SQLite has one writer anyway
REFRESH_BATCH = 2000
MAX_PEOPLE = ID_CHUNK  # a refresh re-derives the week rows of at most this many named people, else everyone's


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def utc_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date()


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def spans(days: Iterable[dt.date], *, step: int = 1) -> list[tuple[dt.date, dt.date]]:
    """Contiguous runs of days (or of Mondays with step=7), as inclusive (first, last) pairs."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == step:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _lock() -> None:
    advisory_xact_lock(ADVISORY_KEY)


def refresh_days(days: Iterable[dt.date], *, people: Iterable[int] | None = None) -> None:
    """Recompute every roll-up row of these days (and of the ISO weeks that contain them).

    ``people``: the only people whose week rows can have changed (the parties of what the events touched);
    their ``PersonWeek`` rows alone are re-derived, instead of everyone's in those weeks (about 10,000 rows a
    week at 100,000 people). None, or more than ``MAX_PEOPLE``: everyone's.
    """
    days = sorted(set(days))
    if not days:
        return
    who = None if people is None else sorted(set(people))
    if who is not None and len(who) > MAX_PEOPLE:
        who = None
    with transaction.atomic():
        _lock()
        for first, last in spans(days):
            for model in (AskDay, SkillDay, DurationDay, SessionDay, MomentDay, *DAY_TOTALS):
                model.objects.filter(day__range=(first, last)).delete()
            _build_days(_start(first), _start(last + dt.timedelta(days=1)))
            _build_day_totals(first, last)
        week_spans = spans({monday(d) for d in days}, step=7)
        before = _span_activity(week_spans, who)
        for first, last in week_spans:
            rows = PersonWeek.objects.filter(week__range=(first, last))
            (rows if who is None else rows.filter(user_id__in=who)).delete()
            _build_weeks(_start(first), _start(last + dt.timedelta(days=7)), who)
        _update_active_weeks(week_spans, before, _span_activity(week_spans, who))
        overlapping = reduce(
            or_, (Q(first_week__lte=last, last_week__gte=first) for first, last in week_spans)
        )
        LoadDistribution.objects.filter(overlapping).delete()
        recent = reduce(or_, (Q(first_week__lte=last, second_week__gte=first) for first, last in week_spans))
        RecentLoad.objects.filter(recent).delete()
        ensure_standard_loads()
        bump_version()


def rebuild() -> None:
    """Everything from scratch (the `rebuild_insights` command; the reference the tests compare with)."""
    with transaction.atomic():
        _lock()
        for model in (*ROLLUPS, *DERIVED):
            model.objects.all().delete()
        DirtyDay.objects.all().delete()
        _build_days(None, None)
        _build_weeks(None, None)
        _build_day_totals(None, None)
        _build_active_weeks()
        ensure_standard_loads()
        bump_version()


def bump_version() -> None:
    """Inside the roll-up's transaction: cached reports computed from older roll-ups stop being used."""

    updated = RollupVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now())
    if not updated:
        RollupVersion.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now()})


def refresh_dirty() -> int:
    """Refresh the days marked dirty; return how many distinct days were refreshed. Also computes the
    load distribution of the current standard periods when a new week made them change."""
    refreshed = 0
    while True:
        marks = list(DirtyDay.objects.order_by("pk").values_list("pk", "day")[:REFRESH_BATCH])
        if not marks:
            with transaction.atomic():
                _lock()
                ensure_standard_loads()
            return refreshed
        days = {day for _, day in marks}
        with transaction.atomic():
            refresh_days(days)
            DirtyDay.objects.filter(pk__lte=marks[-1][0]).delete()
        refreshed += len(days)


def _range(field: str, since: dt.datetime | None, until: dt.datetime | None) -> Q:
    q = Q()
    if since is not None:
        q &= Q(**{f"{field}__gte": since})
    if until is not None:
        q &= Q(**{f"{field}__lt": until})
    return q


# --- asks and sessions, by day ------------------------------------------------------------------------


def _asks(since, until):

    return (
        Ask.objects.filter(_range("created_at", since, until))
        .exclude(state=AskState.DRAFT)
        .annotate(prog=ask_programme())
        .order_by()
    )


def _minutes(later: dt.datetime | None, earlier: dt.datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return max((later - earlier).total_seconds() / 60, 0)


def _build_days(since, until) -> None:

    ask_rows: dict[tuple, Counter] = defaultdict(Counter)
    skill_rows: dict[tuple, Counter] = defaultdict(Counter)
    durations: Counter = Counter()
    ask_keys: dict[int, tuple] = {}
    ask_facts: dict[int, tuple[bool, bool, float | None]] = {}
    rows = _asks(since, until).values_list(
        "pk",
        "created_at",
        "published_at",
        "accepted_at",
        "closed_at",
        "state",
        "mentee__profile__team_id",
        "prog",
    )
    for pk, created, published, accepted, closed, state, team, prog in rows.iterator(chunk_size=CHUNK):
        key = (utc_day(created), team, prog)
        unmatched = state in (AskState.UNMATCHED, AskState.EXPIRED)
        accept_minutes = _minutes(accepted, published or created)
        counts = ask_rows[key]
        counts["made"] += 1
        counts["accepted"] += accepted is not None
        counts["unmatched"] += unmatched
        counts["completed"] += state == AskState.COMPLETED
        if accept_minutes is not None:
            durations[(*key, "accept", buckets.bucket_of(accept_minutes))] += 1
        if state == AskState.COMPLETED:
            help_minutes = _minutes(closed, published or created)
            if help_minutes is not None:
                durations[(*key, "help", buckets.bucket_of(help_minutes))] += 1
        ask_keys[pk] = key
        ask_facts[pk] = (accepted is not None, unmatched, accept_minutes)
    through = Ask.skills.through.objects.filter(ask_id__in=_asks(since, until).values("pk")).order_by()
    for ask_id, skill_id in through.values_list("ask_id", "skill_id").iterator(chunk_size=CHUNK):
        if ask_id not in ask_keys:
            continue
        day, team, prog = ask_keys[ask_id]
        accepted, unmatched, accept_minutes = ask_facts[ask_id]
        counts = skill_rows[(day, skill_id, team, prog)]
        counts["made"] += 1
        counts["accepted"] += accepted
        counts["unmatched"] += unmatched
        counts["accept_minutes"] += round(accept_minutes or 0)
    AskDay.objects.bulk_create(
        (AskDay(day=d, team_id=t, programme_id=p, **c) for (d, t, p), c in ask_rows.items()), batch_size=CHUNK
    )
    SkillDay.objects.bulk_create(
        (
            SkillDay(day=d, skill_id=s, team_id=t, programme_id=p, **c)
            for (d, s, t, p), c in skill_rows.items()
        ),
        batch_size=CHUNK,
    )
    DurationDay.objects.bulk_create(
        (
            DurationDay(day=d, team_id=t, programme_id=p, metric=m, bucket=b, count=n)
            for (d, t, p, m, b), n in durations.items()
        ),
        batch_size=CHUNK,
    )
    _build_session_days(since, until)
    _build_moment_days(since, until)


def _build_moment_days(since, until) -> None:

    counts: Counter = Counter()
    moments = Moment.objects.filter(_range("created_at", since, until)).order_by()
    for created, team in moments.values_list("created_at", "author__profile__team_id").iterator(
        chunk_size=CHUNK
    ):
        counts[(utc_day(created), team)] += 1
    MomentDay.objects.bulk_create(
        (MomentDay(day=d, team_id=t, count=n) for (d, t), n in counts.items()), batch_size=CHUNK
    )


def _sessions(since, until):

    return (
        Session.objects.annotate(day_at=Coalesce("starts_at", "created_at"))
        .filter(_range("day_at", since, until))
        .annotate(prog=session_programme())
        .order_by()
    )


def _build_session_days(since, until) -> None:

    rows: dict[tuple, Counter] = defaultdict(Counter)
    # The feedback text itself is never read: only whether there is some.
    has_feedback = Case(
        When(Q(debrief__isnull=False) & ~Q(debrief__feedback_to_mentor=""), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    values = (
        _sessions(since, until)
        .annotate(has_feedback=has_feedback)
        .values_list(
            "day_at",
            "state",
            "mentee__profile__team_id",
            "prog",
            "debrief__outcome",
            "debrief__rating",
            "has_feedback",
        )
    )
    for day_at, state, team, prog, outcome, rating, feedback in values.iterator(chunk_size=CHUNK):
        counts = rows[(utc_day(day_at), team, prog)]
        counts["held"] += state != SessionState.CANCELLED
        counts["completed"] += state == SessionState.COMPLETED
        counts["cancelled"] += state == SessionState.CANCELLED
        counts["with_outcome"] += bool(outcome)
        counts["solved"] += outcome == Outcome.SOLVED
        if rating:
            counts["rated"] += 1
            counts["rating_sum"] += rating
            counts[f"rating_{rating}"] += 1
        counts["feedback_texts"] += feedback
    SessionDay.objects.bulk_create(
        (SessionDay(day=d, team_id=t, programme_id=p, **c) for (d, t, p), c in rows.items()), batch_size=CHUNK
    )


# --- people, by ISO week --------------------------------------------------------------------------------


def _build_weeks(since, until, people: list[int] | None = None) -> None:
    """``PersonWeek`` rows of the weeks in [since, until) — only those of ``people`` when given."""
    rows: dict[tuple, Counter] = defaultdict(Counter)
    teams: dict[int, int | None] = {}
    sessions = _sessions(since, until).exclude(state=SessionState.CANCELLED)
    asks = _asks(since, until)
    moments = Moment.objects.filter(_range("created_at", since, until)).order_by()
    if people is not None:
        sessions = sessions.filter(Q(mentor_id__in=people) | Q(mentee_id__in=people))
        asks = asks.filter(mentee_id__in=people)
        moments = moments.filter(author_id__in=people)
    wanted = (lambda user: True) if people is None else set(people).__contains__
    session_rows = sessions.values_list(
        "day_at", "prog", "mentor_id", "mentor__profile__team_id", "mentee_id", "mentee__profile__team_id"
    )
    for day_at, prog, mentor, mentor_team, mentee, mentee_team in session_rows.iterator(chunk_size=CHUNK):
        week = monday(utc_day(day_at))
        if wanted(mentor):
            rows[(week, mentor, prog)]["mentor_sessions"] += 1
            teams[mentor] = mentor_team
        if wanted(mentee):
            rows[(week, mentee, prog)]["mentee_sessions"] += 1
            teams[mentee] = mentee_team
    ask_rows = asks.values_list("created_at", "prog", "mentee_id", "mentee__profile__team_id")
    for created, prog, mentee, team in ask_rows.iterator(chunk_size=CHUNK):
        rows[(monday(utc_day(created)), mentee, prog)]["asks"] += 1
        teams[mentee] = team
    moment_rows = moments.values_list("created_at", "author_id", "author__profile__team_id")
    for created, author, team in moment_rows.iterator(chunk_size=CHUNK):
        rows[(monday(utc_day(created)), author, None)]["moments"] += 1
        teams[author] = team
    PersonWeek.objects.bulk_create(
        (
            PersonWeek(week=w, user_id=u, programme_id=p, team_id=teams.get(u), **c)
            for (w, u, p), c in rows.items()
        ),
        batch_size=CHUNK,
    )


# --- derived from the roll-ups: organisation-wide day totals ------------------------------------------------


def _build_day_totals(first: dt.date | None, last: dt.date | None) -> None:
    """``SkillTotalDay`` / ``DurationTotalDay`` for these days (every day when None), from the per-team
    and per-programme rows just built: two grouped reads, two bulk inserts."""
    days = Q() if first is None else Q(day__range=(first, last))
    sums = ("made", "accepted", "unmatched", "accept_minutes")
    skills = (
        SkillDay.objects.filter(days)
        .values("day", "skill_id")
        .annotate(**{f"total_{name}": Sum(name) for name in sums})
        .order_by()
    )
    SkillTotalDay.objects.bulk_create(
        (
            SkillTotalDay(
                day=row["day"], skill_id=row["skill_id"], **{name: row[f"total_{name}"] for name in sums}
            )
            for row in skills.iterator(chunk_size=CHUNK)
        ),
        batch_size=CHUNK,
    )
    durations = (
        DurationDay.objects.filter(days).values("day", "metric", "bucket").annotate(n=Sum("count")).order_by()
    )
    DurationTotalDay.objects.bulk_create(
        (
            DurationTotalDay(
                day=row["day"],
                week=monday(row["day"]),
                metric=row["metric"],
                bucket=row["bucket"],
                count=row["n"],
            )
            for row in durations.iterator(chunk_size=CHUNK)
        ),
        batch_size=CHUNK,
    )


# --- derived from PersonWeek: distinct active people (ActiveWeek) --------------------------------------------

# One person-week row as the activity counts see it: (week, team_id, programme_id, mentor?, mentee?).
_PERSON_FIELDS = ("user_id", "week", "team_id", "programme_id", "mentor_sessions", "mentee_sessions", "asks")


def _activity_row(week, team, programme, mentor_sessions, mentee_sessions, asks) -> tuple:
    return (week, team, programme, mentor_sessions > 0, mentee_sessions > 0 or asks > 0)


def _scopes(programme: int | None) -> tuple[int, ...]:
    """Where one roll-up row counts: the whole organisation, and its programme when it has one."""
    return (WHOLE_ORGANISATION,) if programme is None else (WHOLE_ORGANISATION, programme)


def active_week_counts(rows: Iterable[tuple], out: Counter | None = None, sign: int = 1) -> Counter:
    """One person's contribution to ``ActiveWeek``: ``rows`` are all their activity rows (any order).

    For each scope (the whole organisation, and each programme they took part in) and role, their
    active weeks in order, each with the previous one: key (scope, team_id, role, week, previous_week)."""
    out = Counter() if out is None else out
    active: dict[tuple[int, int], dict[dt.date, int | None]] = defaultdict(dict)
    for week, team, programme, mentor, mentee in rows:
        roles = (ROLE_ANYONE,) + ((ROLE_MENTOR,) if mentor else ()) + ((ROLE_MENTEE,) if mentee else ())
        for scope in _scopes(programme):
            for role in roles:
                # One team per person and week (their rows of a week are built together); should two
                # ever differ, the smallest id wins whatever the order the rows came in.
                seen = active[(scope, role)]
                seen[week] = team if week not in seen else _first_team(seen[week], team)
    for (scope, role), weeks in active.items():
        previous = None
        for week in sorted(weeks):
            out[(scope, weeks[week], role, week, previous)] += sign
            previous = week
    return out


def _first_team(a: int | None, b: int | None) -> int | None:
    return min(a, b, key=lambda team: (team is None, team or 0))


def _active_week_rows(counts: Counter):
    for (scope, team, role, week, previous), n in counts.items():
        if n:
            yield ActiveWeek(scope=scope, team_id=team, role=role, week=week, previous_week=previous, count=n)


def _build_active_weeks() -> None:
    """``ActiveWeek`` from scratch: every ``PersonWeek`` row once, person by person."""
    ActiveWeek.objects.all().delete()
    counts: Counter = Counter()
    person, rows = None, []
    ordered = PersonWeek.objects.order_by("user_id", "week").values_list(*_PERSON_FIELDS)
    for user_id, *row in ordered.iterator(chunk_size=CHUNK):
        if user_id != person:
            active_week_counts(rows, counts)
            person, rows = user_id, []
        rows.append(_activity_row(*row))
    active_week_counts(rows, counts)
    ActiveWeek.objects.bulk_create(_active_week_rows(counts), batch_size=CHUNK)


def _weeks_q(week_spans) -> Q:
    return reduce(or_, (Q(week__range=span) for span in week_spans))


def _span_activity(week_spans, people: list[int] | None = None) -> dict[int, frozenset]:
    """Each person's activity rows within these weeks (to see whose changed in a refresh); only those of
    ``people`` when given."""
    if not week_spans:
        return {}
    found: dict[int, set] = defaultdict(set)
    weeks = PersonWeek.objects.filter(_weeks_q(week_spans))
    if people is not None:
        weeks = weeks.filter(user_id__in=people)
    for user_id, *row in weeks.order_by().values_list(*_PERSON_FIELDS).iterator(chunk_size=CHUNK):
        found[user_id].add(_activity_row(*row))
    return {user_id: frozenset(rows) for user_id, rows in found.items()}


def _update_active_weeks(week_spans, before: dict, after: dict) -> None:
    """Replace the contribution of every person whose activity in the refreshed weeks changed: their
    other weeks are read once, their counts before and after are computed, the difference is applied."""
    changed = sorted(user for user in before.keys() | after.keys() if before.get(user) != after.get(user))
    if not changed:
        return
    delta: Counter = Counter()
    for i in range(0, len(changed), ID_CHUNK):
        chunk = changed[i : i + ID_CHUNK]
        elsewhere: dict[int, list] = defaultdict(list)
        rows = (
            PersonWeek.objects.filter(user_id__in=chunk)
            .exclude(_weeks_q(week_spans))
            .order_by()
            .values_list(*_PERSON_FIELDS)
        )
        for user_id, *row in rows:
            elsewhere[user_id].append(_activity_row(*row))
        for user_id in chunk:
            active_week_counts([*elsewhere[user_id], *before.get(user_id, ())], delta, sign=-1)
            active_week_counts([*elsewhere[user_id], *after.get(user_id, ())], delta, sign=1)
    delta = Counter({key: n for key, n in delta.items() if n})
    if not delta:
        return
    existing: dict[tuple, tuple[int, int]] = {}
    weeks = sorted({key[3] for key in delta})
    for i in range(0, len(weeks), ID_CHUNK):
        rows = ActiveWeek.objects.filter(week__in=weeks[i : i + ID_CHUNK]).values_list(
            "pk", "scope", "team_id", "role", "week", "previous_week", "count"
        )
        for pk, *key, n in rows:
            existing[tuple(key)] = (pk, n)
    counts: Counter = Counter()
    for key, n in delta.items():
        counts[key] = existing.get(key, (None, 0))[1] + n
    if any(n < 0 for n in counts.values()):
        _active_weeks_out_of_step()
        return
    stale = [existing[key][0] for key in delta if key in existing]
    for i in range(0, len(stale), ID_CHUNK):
        ActiveWeek.objects.filter(pk__in=stale[i : i + ID_CHUNK]).delete()
    ActiveWeek.objects.bulk_create(_active_week_rows(counts), batch_size=CHUNK)


def _active_weeks_out_of_step() -> None:
    """Only possible if ActiveWeek did not match PersonWeek before the refresh (a bug, or rows written
    by hand): recount it from scratch rather than store a wrong count. Tests make this an error."""
    logger.warning("insights: ActiveWeek out of step with PersonWeek; rebuilding it")
    _build_active_weeks()


# --- derived from PersonWeek: mentors' load over the standard periods (LoadDistribution) ---------------------


def standard_periods() -> list[tuple[dt.date, dt.date]]:
    """The week ranges whose load distribution is kept: today, the dashboard's default view."""
    return [(monday(filters.start), monday(filters.end)) for filters in _standard_filters()]


def _standard_filters():
    from openhelp.organisers.insights.figures import Filters  # here: figures imports this module

    return [Filters.default()]


def ensure_standard_loads() -> None:
    """Compute the load distribution and the burnout candidates of each current standard period that
    lacks them; drop other periods. Inside the roll-ups' transaction, so they always match ``PersonWeek``."""
    from openhelp.organisers.insights.figures import _last_full_weeks  # here: figures imports this module

    periods = standard_periods()
    keep = reduce(or_, (Q(first_week=first, last_week=last) for first, last in periods))
    LoadDistribution.objects.exclude(keep).delete()
    for first, last in periods:
        marker = LoadDistribution.objects.filter(
            first_week=first, last_week=last, scope=WHOLE_ORGANISATION, team_id=None, sessions=0
        )
        if not marker.exists():
            _build_load(first, last)
    pairs = [_last_full_weeks(filters) for filters in _standard_filters()]
    RecentLoad.objects.exclude(reduce(or_, (Q(first_week=a, second_week=b) for a, b in pairs))).delete()
    for first, second in pairs:
        if not RecentLoad.objects.filter(first_week=first, second_week=second, user_id=0).exists():
            _build_recent_load(first, second)


def _build_recent_load(first: dt.date, second: dt.date) -> None:
    """Per mentor and scope, sessions in each of the two weeks, kept when both are at least one (an alert
    needs more than the capacity, which is at least 0, in both): for every team and per team."""
    RecentLoad.objects.filter(first_week=first, second_week=second).delete()
    weeks: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        PersonWeek.objects.filter(week__in=(first, second), mentor_sessions__gt=0)
        .values_list("user_id", "team_id", "programme_id", "week")
        .annotate(n=Sum("mentor_sessions"))
        .order_by()
    )
    for user_id, team, programme, week, n in rows.iterator(chunk_size=CHUNK):
        for scope in _scopes(programme):
            for team_key in (None, team) if team is not None else (None,):
                weeks[(scope, team_key, user_id)][week != first] += n
    keep = [
        RecentLoad(first_week=first, second_week=second, scope=s, team_id=t, user_id=u, first=a, second=b)
        for (s, t, u), (a, b) in weeks.items()
        if a and b
    ]
    marker = RecentLoad(
        first_week=first,
        second_week=second,
        scope=WHOLE_ORGANISATION,
        team_id=None,
        user_id=0,
        first=0,
        second=0,
    )
    RecentLoad.objects.bulk_create([marker, *keep], batch_size=CHUNK)


def _build_load(first: dt.date, last: dt.date) -> None:
    """Per-mentor session totals over weeks [first, last] for every scope and team filter, counted into
    a histogram (sessions → mentors). Same grouping as the live query in ``openhelp.organisers.insights.figures``."""
    LoadDistribution.objects.filter(first_week=first, last_week=last).delete()
    totals: Counter = Counter()
    rows = (
        PersonWeek.objects.filter(week__range=(first, last), mentor_sessions__gt=0)
        .values_list("user_id", "team_id", "programme_id")
        .annotate(n=Sum("mentor_sessions"))
        .order_by()
    )
    for user_id, team, programme, n in rows.iterator(chunk_size=CHUNK):
        for scope in _scopes(programme):
            totals[(scope, None, user_id)] += n
            if team is not None:
                totals[(scope, team, user_id)] += n
    histogram: Counter = Counter()
    for (scope, team, _user), n in totals.items():
        histogram[(scope, team, n)] += 1
    histogram[(WHOLE_ORGANISATION, None, 0)] = 0  # the marker: this period is computed
    LoadDistribution.objects.bulk_create(
        (
            LoadDistribution(
                first_week=first, last_week=last, scope=scope, team_id=team, sessions=n, mentors=mentors
            )
            for (scope, team, n), mentors in histogram.items()
        ),
        batch_size=CHUNK,
    )
