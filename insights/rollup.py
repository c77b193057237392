"""Build the insights roll-ups from the raw tables, for any set of days or from scratch.

``refresh_days`` is the only writer: it deletes the roll-up rows of the given days (and of their ISO
weeks, for ``PersonWeek``) and recomputes them from asks, sessions, debriefs and moments. An incremental
update and a full ``rebuild`` therefore run the same code; tests prove the receivers mark every day an
event touches by comparing the two.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from insights import buckets
from insights.dimensions import ask_programme, session_programme
from insights.models import AskDay, DirtyDay, DurationDay, MomentDay, PersonWeek, SessionDay, SkillDay
from lib.clock import now

ROLLUPS = (AskDay, SkillDay, DurationDay, SessionDay, MomentDay, PersonWeek)
CHUNK = 5000
ADVISORY_KEY = 0x1D_5167  # one lock for every roll-up writer (PostgreSQL); SQLite has one writer anyway
REFRESH_BATCH = 2000


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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])


def refresh_days(days: Iterable[dt.date]) -> None:
    """Recompute every roll-up row of these days (and of the ISO weeks that contain them)."""
    days = sorted(set(days))
    if not days:
        return
    with transaction.atomic():
        _lock()
        for first, last in spans(days):
            for model in (AskDay, SkillDay, DurationDay, SessionDay, MomentDay):
                model.objects.filter(day__range=(first, last)).delete()
            _build_days(_start(first), _start(last + dt.timedelta(days=1)))
        for first, last in spans({monday(d) for d in days}, step=7):
            PersonWeek.objects.filter(week__range=(first, last)).delete()
            _build_weeks(_start(first), _start(last + dt.timedelta(days=7)))
        bump_version()


def rebuild() -> None:
    """Everything from scratch (the `rebuild_insights` command; the reference the tests compare with)."""
    with transaction.atomic():
        _lock()
        for model in ROLLUPS:
            model.objects.all().delete()
        DirtyDay.objects.all().delete()
        _build_days(None, None)
        _build_weeks(None, None)
        bump_version()


def bump_version() -> None:
    """Inside the roll-up's transaction: cached reports computed from older roll-ups stop being used."""
    from insights.models import RollupVersion

    updated = RollupVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now())
    if not updated:
        RollupVersion.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now()})


def refresh_dirty() -> int:
    """Refresh the days marked dirty; return how many distinct days were refreshed."""
    refreshed = 0
    while True:
        marks = list(DirtyDay.objects.order_by("pk").values_list("pk", "day")[:REFRESH_BATCH])
        if not marks:
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
    from asks.models import Ask, AskState

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
    from asks.models import Ask, AskState

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
    from moments.models import Moment

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
    from mentoring.models import Session

    return (
        Session.objects.annotate(day_at=Coalesce("starts_at", "created_at"))
        .filter(_range("day_at", since, until))
        .annotate(prog=session_programme())
        .order_by()
    )


def _build_session_days(since, until) -> None:
    from mentoring.models import Outcome, SessionState

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


def _build_weeks(since, until) -> None:
    from mentoring.models import SessionState
    from moments.models import Moment

    rows: dict[tuple, Counter] = defaultdict(Counter)
    teams: dict[int, int | None] = {}
    sessions = (
        _sessions(since, until)
        .exclude(state=SessionState.CANCELLED)
        .values_list(
            "day_at", "prog", "mentor_id", "mentor__profile__team_id", "mentee_id", "mentee__profile__team_id"
        )
    )
    for day_at, prog, mentor, mentor_team, mentee, mentee_team in sessions.iterator(chunk_size=CHUNK):
        week = monday(utc_day(day_at))
        rows[(week, mentor, prog)]["mentor_sessions"] += 1
        rows[(week, mentee, prog)]["mentee_sessions"] += 1
        teams[mentor], teams[mentee] = mentor_team, mentee_team
    asks = _asks(since, until).values_list("created_at", "prog", "mentee_id", "mentee__profile__team_id")
    for created, prog, mentee, team in asks.iterator(chunk_size=CHUNK):
        rows[(monday(utc_day(created)), mentee, prog)]["asks"] += 1
        teams[mentee] = team
    moments = (
        Moment.objects.filter(_range("created_at", since, until))
        .order_by()
        .values_list("created_at", "author_id", "author__profile__team_id")
    )
    for created, author, team in moments.iterator(chunk_size=CHUNK):
        rows[(monday(utc_day(created)), author, None)]["moments"] += 1
        teams[author] = team
    PersonWeek.objects.bulk_create(
        (
            PersonWeek(week=w, user_id=u, programme_id=p, team_id=teams.get(u), **c)
            for (w, u, p), c in rows.items()
        ),
        batch_size=CHUNK,
    )
