"""What the signed-in home shows, one read-only question per section, each in a fixed number of queries.

Everything is looked up through the viewer (``mentor=user``, ``involving(user)``, ``asked_by(user)``), so
nobody else's offer, ask or session can appear. Times stay aware (UTC); templates show them in the
viewer's zone, which ``openhelp.platform.core.middleware.UserTimezoneMiddleware`` activates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Min, OuterRef, Prefetch, Q
from django.urls import reverse

from openhelp.community.moments.services import Challenge, challenge_for
from openhelp.community.recognition.models import Kudos
from openhelp.directory.people.capacity import capacity_for
from openhelp.directory.people.models import Profile, SkillOffer
from openhelp.directory.people.services import profile_for
from openhelp.directory.skills.models import Skill
from openhelp.help.asks.display import status_text, with_offer_counts
from openhelp.help.asks.estimates import estimated_waits, remembered_waits
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.asks.services import FINISHED, THREAD_OPEN
from openhelp.help.mentoring.lifecycle import JOIN_OPENS_BEFORE
from openhelp.help.mentoring.models import Attendance, AttendanceKind, Session, SessionState
from openhelp.help.officehours.models import Booking
from openhelp.help.routing import display
from openhelp.help.routing.forms import DeclineForm
from openhelp.help.routing.models import Offer, OfferState
from openhelp.organisers.insights import access
from openhelp.organisers.insights.cache import cached_report
from openhelp.organisers.insights.figures import Filters
from openhelp.platform.lib.clock import now

UPCOMING = dt.timedelta(days=14)
RECENT = dt.timedelta(days=30)
WAITING = frozenset({AskState.OPEN, AskState.OFFERED, AskState.UNMATCHED})
SHOWN = 5  # items per section: the page stays short, each section links to its full list
ALERTS_SHOWN = 3
# What an offer card (routing/_offer_compact.html) reads of the offer and its ask
OFFER_CARD_COLUMNS = (
    "state",
    "reasons",
    "expires_at",
    "decline_reason",
    "ask__title",
    "ask__format",
    "ask__urgency",
    "ask__needed_by",
    "ask__objective",
    "ask__mentee",
)


def _names(*people: str) -> list[str]:
    """The columns ``User.display_name`` reads (the profile's name, else the e-mail) for each of these
    relations to a user: a section loads the names it shows, not every column of two users and profiles."""
    return [
        column for person in people for column in (f"{person}__email", f"{person}__profile__display_name")
    ]


# --- Offers waiting for my answer -------------------------------------------------------------------------


def waiting_offers(user, profile) -> list[Any]:  # Offers, with the attributes the card reads
    """Pending, unexpired offers to me, the one that expires first on top, each with its decline form
    and "why you" as the inbox shows it (the capacity left now, not the snapshot taken at routing)."""
    offers: list[Any] = list(
        Offer.objects.filter(mentor=user, state=OfferState.PENDING, expires_at__gt=now())
        .select_related("ask__mentee__profile")
        .only(*OFFER_CARD_COLUMNS, *_names("ask__mentee"))
        .prefetch_related(Prefetch("ask__skills", queryset=Skill.objects.only("name")))
        .order_by("expires_at", "pk")[:SHOWN]
    )
    capacity = capacity_for(profile) if offers else None
    for offer in offers:
        offer.is_open = True
        offer.decline_form = DeclineForm(offer_id=offer.pk)
        offer.why_you = display.reasons_for(offer.reasons, capacity=capacity, is_open=True)
    return offers


def skills_offered_count(profile) -> int:
    return SkillOffer.objects.filter(profile=profile).count()


def helping(user) -> list[Ask]:
    """Asks I accepted that are still under way (the thread is open): where an accepted offer goes next."""
    return list(
        Ask.objects.filter(helper=user, state__in=THREAD_OPEN)
        .select_related("mentee__profile")
        .only("title", "state", "scheduled_for", *_names("mentee"))
        .order_by("-accepted_at", "-pk")[:SHOWN]
    )


# --- My asks --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskRow:
    ask: Ask
    status: str
    wait: str  # "" when the ask is no longer waiting for an expert
    next_answer_due: dt.datetime | None  # the earliest expiry of its pending offers


def my_open_asks(user) -> list[AskRow]:
    """My asks that are not finished, with their state in words and, while they wait, an estimated wait."""
    asks = list(
        with_offer_counts(
            Ask.objects.asked_by(user)
            .exclude(state__in=FINISHED)
            .select_related("helper__profile")
            # what the row and status_text show, and what the wait estimate is keyed by (urgency, skills)
            .only("title", "state", "urgency", "cancel_reason", *_names("helper"))
            .prefetch_related(Prefetch("skills", queryset=Skill.objects.only("pk")))
            .order_by("-created_at", "-pk")
        )[:SHOWN]
    )
    waiting = [ask for ask in asks if ask.state in WAITING]
    estimates = remembered_waits(waiting)
    due = dict(
        Offer.objects.filter(ask__in=waiting, state=OfferState.PENDING, expires_at__gt=now())
        .values("ask_id")
        .annotate(first=Min("expires_at"))
        .values_list("ask_id", "first")
        .order_by()
    )
    rows = []
    ask: Any  # annotated with offered_count
    for ask in asks:
        estimate = estimates.get(ask.pk)
        if ask.state in WAITING:
            wait = estimate.text if estimate else "Not enough similar asks yet to estimate the wait."
        else:
            wait = ""
        rows.append(
            AskRow(
                ask=ask,
                status=status_text(ask, offered=ask.offered_count),
                wait=wait,
                next_answer_due=due.get(ask.pk),
            )
        )
    return rows


# --- Sessions and bookings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    """One upcoming meeting: a session (from an ask or a booking), or a booking whose session is not made yet.
    ``kind`` and ``id`` name the object (a client reads it at ``api_url``); ``booking_id`` the booking a
    session came from, if any."""

    kind: str  # "session" or "booking"
    id: int
    api_url: str
    booking_id: int | None
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    with_whom: str
    url: str
    join_url: str  # only once the call link opens, as on the session page (lifecycle.JOIN_OPENS_BEFORE)
    place: str
    calendar_url: str


def _https(value: str) -> str:
    return value if (value or "").startswith("https://") else ""


def _joinable(link: str, starts_at: dt.datetime, moment: dt.datetime) -> str:
    return link if starts_at - JOIN_OPENS_BEFORE <= moment else ""


def upcoming(user) -> list[Upcoming]:
    """Planned sessions and confirmed bookings in the next 14 days (a meeting under way included)."""
    moment = now()
    horizon = moment + UPCOMING
    sessions = (
        Session.objects.involving(user)
        .filter(state=SessionState.PLANNED, starts_at__lt=horizon)
        .filter(Q(ends_at__gt=moment) | Q(ends_at__isnull=True, starts_at__gte=moment))
        .select_related("mentee__profile", "mentor__profile", "booking")
        .only("title", "starts_at", "ends_at", "place", "booking__location", *_names("mentee", "mentor"))
        .order_by("starts_at", "pk")[: SHOWN * 2]
    )
    bookings = (
        Booking.objects.involving(user)
        .confirmed()
        .filter(end__gt=moment, start__lt=horizon)
        .filter(~Exists(Session.objects.filter(booking=OuterRef("pk"))))
        .select_related("mentee__profile", "mentor__profile")
        .only("topic", "start", "end", "location", *_names("mentee", "mentor"))
        .order_by("start", "pk")[: SHOWN * 2]
    )
    items = []
    for session in sessions:
        if session.starts_at is None:  # the filter asks for a start: never, but typed so
            continue
        booking = session.booking
        items.append(
            Upcoming(
                kind="session",
                id=session.pk,
                api_url=reverse("v1:sessions-detail", args=[session.pk]),
                booking_id=booking.pk if booking else None,
                title=session.title,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                with_whom=session.other_side(user).display_name,
                url=reverse("mentoring:detail", args=[session.pk]),
                join_url=_joinable(
                    _https(session.place) or _https(booking.location if booking else ""),
                    session.starts_at,
                    moment,
                ),
                place="" if _https(session.place) else session.place,
                calendar_url=reverse("officehours:booking-ics", args=[booking.pk]) if booking else "",
            )
        )
    for booking in bookings:
        items.append(
            Upcoming(
                kind="booking",
                id=booking.pk,
                api_url=reverse("v1:bookings-detail", args=[booking.pk]),
                booking_id=booking.pk,
                title=booking.topic,
                starts_at=booking.start,
                ends_at=booking.end,
                with_whom=booking.other_side(user).display_name,
                url=reverse("officehours:booking", args=[booking.pk]),
                join_url=_joinable(_https(booking.location), booking.start, moment),
                place="" if _https(booking.location) else booking.location,
                calendar_url=reverse("officehours:booking-ics", args=[booking.pk]),
            )
        )
    items.sort(key=lambda item: item.starts_at)
    return items[:SHOWN]


def _held_recently(moment: dt.datetime) -> Q:
    """A session that took place in the last 30 days: a call that ended, or one marked completed."""
    ended = Q(ends_at__lte=moment, ends_at__gte=moment - RECENT)
    completed = Q(state=SessionState.COMPLETED, completed_at__gte=moment - RECENT)
    return (ended | completed) & ~Q(state=SessionState.CANCELLED)


def debriefs_to_write(user) -> list[Any]:  # Sessions, with with_whom
    """Sessions I took part in that were held recently and have no debrief (no outcome, no takeaways)."""
    moment = now()
    no_show = Attendance.objects.filter(session=OuterRef("pk"), kind=AttendanceKind.NO_SHOW)
    candidates = (
        Session.objects.involving(user)
        .filter(_held_recently(moment))
        .filter(~Exists(no_show))
        .select_related("debrief", "mentee__profile", "mentor__profile")
        .only("title", "ends_at", "debrief__outcome", "debrief__takeaways", *_names("mentee", "mentor"))
        .order_by("-ends_at", "-pk")[: SHOWN * 4]
    )
    missing: list[Any] = []
    session: Any
    for session in candidates:
        debrief = getattr(session, "debrief", None)
        if debrief is None or not (debrief.outcome or debrief.takeaways):
            session.with_whom = session.other_side(user).display_name
            missing.append(session)
    return missing[:SHOWN]


@dataclass(frozen=True)
class ToThank:
    user_id: int
    name: str
    session: Session


def people_to_thank(user) -> list[ToThank]:
    """People who helped me in a session held recently, and whom I have not thanked for it yet."""
    moment = now()
    thanked = Kudos.objects.filter(giver=user, receiver=OuterRef("mentor"), session=OuterRef("pk"))
    sessions = (
        Session.objects.filter(mentee=user)
        .filter(_held_recently(moment))
        .filter(~Exists(thanked))
        .select_related("mentor__profile")
        .only("title", *_names("mentor"))
        .order_by("-ends_at", "-pk")[: SHOWN * 4]
    )
    people: dict[int, ToThank] = {}
    for session in sessions:
        if session.mentor_id not in people:
            people[session.mentor_id] = ToThank(session.mentor_id, session.mentor.display_name, session)
    return list(people.values())[:SHOWN]


# --- The weekly challenge and the organiser's alerts ------------------------------------------------------


def challenge(user):
    return challenge_for(user=user)


@dataclass(frozen=True)
class Alerts:
    items: list[str]
    hidden: str  # why the figures are withheld (too few people), else ""
    programme_id: int | None


def organiser_alerts(user) -> Alerts | None:
    """This week's alerts from the insights report (skill gaps, overload), or None for non-organisers."""
    if not access.may_view(user):
        return None
    programme_id = access.resolve_programme(user, None)
    today = now().date()
    report = cached_report(Filters(start=today - dt.timedelta(days=6), end=today, programme_id=programme_id))
    if report.get("hidden"):
        return Alerts(items=[], hidden=str(report["hidden"]), programme_id=programme_id)
    items = [row["action"] for row in report.get("skills", []) if row.get("action")][:ALERTS_SHOWN]
    load = report.get("load") or {}
    items += [alert["action"] for alert in load.get("burnout_alerts", [])][:ALERTS_SHOWN]
    items += list(load.get("actions", []))
    return Alerts(items=items[: ALERTS_SHOWN * 2], hidden="", programme_id=programme_id)


# --- The whole page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Today:
    """Every section of the home, as the page (``home.home``) and the API (``api.TodayView``) show it."""

    profile: Profile
    paused: bool
    helper_first: bool  # the page starts with the offers waiting for my answer
    skills_offered: int  # "You're open to help on 4 skills", said only when no offer is waiting; else 0
    offers: list[Any]
    helping: list[Ask]
    asks: list[AskRow]
    upcoming: list[Upcoming]
    debriefs: list[Any]
    to_thank: list[ToThank]
    challenge: Challenge
    alerts: Alerts | None

    @property
    def asks_waiting(self) -> bool:
        return any(row.wait for row in self.asks)


def today_for(user) -> Today:
    """Every section of the home page (and ``GET /api/v1/today/``) for ``user``."""
    # Usually loaded already, by the time-zone middleware (the user's reverse one-to-one is cached).
    profile: Profile = getattr(user, "profile", None) or profile_for(user)
    asks = my_open_asks(user)
    offers = waiting_offers(user, profile)
    helping_now = helping(user)
    skills_offered = skills_offered_count(profile) if profile.open_to_help and not offers else 0
    return Today(
        profile=profile,
        paused=profile.is_paused(),
        # Someone who helps others starts with what waits for their answer; anyone else with their own
        # asks, sessions and bookings, the invitation to help after them. Open to help with no skill listed,
        # nothing can come yet: their own work comes first, and the section says what is missing.
        helper_first=bool(offers or helping_now or skills_offered or profile.is_paused()),
        skills_offered=skills_offered,
        offers=offers,
        helping=helping_now,
        asks=asks,
        upcoming=upcoming(user),
        debriefs=debriefs_to_write(user),
        to_thank=people_to_thank(user),
        challenge=challenge(user),
        alerts=organiser_alerts(user),
    )


__all__ = [
    "AskRow",
    "challenge",
    "debriefs_to_write",
    "estimated_waits",
    "helping",
    "my_open_asks",
    "organiser_alerts",
    "people_to_thank",
    "skills_offered_count",
    "Today",
    "today_for",
    "upcoming",
    "waiting_offers",
]
