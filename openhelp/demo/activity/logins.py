"""The demo logins' own activity, written by hand so each login shows the whole loop: the mentee's asks
in every state (several with the demo mentor), the offers waiting in the demo mentor's inbox, and the
mentee's bookings and waiting-list place. ``b`` is the ``openhelp.demo.activity.build.Builder`` collecting rows.
"""

from __future__ import annotations

import datetime as dt

from openhelp.demo.activity import officehours as oh
from openhelp.demo.activity.asks import AskPlan
from openhelp.demo.activity.clock import at_hour
from openhelp.help.asks.models import AskFormat, AskState, Urgency
from openhelp.help.officehours.models import BookingState


def login_asks(b) -> None:
    """The demo mentee's asks, one or more in every state, several with the demo mentor."""
    cast, rng = b.cast, b.rng
    sam, priya = cast.mentee, cast.mentor
    me = {sam.id}
    tomorrow = at_hour(cast.moment + dt.timedelta(days=1), 14)
    b.story(
        AskPlan(
            mentee=sam,
            skill="PostgreSQL",
            state=AskState.SCHEDULED,
            created=b.ago(2),
            helper=priya,
            others=b.experts("PostgreSQL", exclude={sam.id, priya.id}, n=2),
            format=AskFormat.CALL_30,
            call_at=tomorrow,
            title="Why is our checkout query slow?",
            objective="read the query plan and fix the slow checkout query myself",
            context="Checkout takes 4 s at peak. `EXPLAIN ANALYZE` shows a sequential scan on "
            "`order_items` but I don't know which index would help.",
            questions=["Which index would you try first?", "How do I check it won't slow down writes?"],
            extra_skills=["Query optimisation"],
        )
    )
    b.story(
        AskPlan(
            mentee=sam,
            skill="A/B testing",
            state=AskState.ANSWERED,
            created=b.ago(2, 6),
            helper=b.helper_for("A/B testing", exclude=me),
            format=AskFormat.ASYNC,
            urgency=Urgency.TODAY,
            title="Read my first A/B test result",
            objective="tell my team whether the new signup page won",
            questions=["Is 2 weeks of data enough?", "What does the p-value mean here?"],
        )
    )
    k8s = b.experts("Kubernetes", exclude=me, n=3) or b.anyone(exclude=me, n=3)
    b.story(
        AskPlan(
            mentee=sam,
            skill="Kubernetes",
            state=AskState.OFFERED,
            created=b.ago(hours=3),
            others=k8s,
            format=AskFormat.CALL_60,
            urgency=Urgency.FLEXIBLE,
            title="Kubernetes deploys without fear",
            objective="roll back a bad deploy on my own",
        )
    )
    b.story(
        AskPlan(
            mentee=sam,
            skill="Public speaking",
            state=AskState.DRAFT,
            created=b.ago(hours=20),
            title="Plan my first conference talk",
            objective="outline a 20-minute talk and a practice plan",
        )
    )
    b.story(
        AskPlan(
            mentee=sam,
            skill="TypeScript",
            state=AskState.CANCELLED,
            created=b.ago(9),
            helper=b.helper_for("TypeScript", exclude=me),
            title="Set up TypeScript strict mode",
        )
    )
    b.story(
        AskPlan(
            mentee=sam,
            skill="Terraform",
            state=AskState.EXPIRED,
            created=b.ago(16),
            others=b.experts("Terraform", exclude=me, n=2),
            title="Terraform module review before Friday",
            needed_by=(b.ago(14)).date(),
        )
    )
    graphql = b.helper_for("GraphQL", exclude=me)
    if graphql is not None:
        b.story(
            AskPlan(
                mentee=sam,
                skill="GraphQL",
                state=AskState.OPEN,
                created=b.ago(1, 4),
                directed=graphql,
                title="GraphQL pagination for the activity feed",
                objective="choose between cursor and offset pagination",
            )
        )
    b.story(
        AskPlan(
            mentee=sam,
            skill="Computer vision",
            state=AskState.UNMATCHED,
            created=b.ago(3),
            title="Get started with computer vision for receipt scanning",
        )
    )
    b.story(
        AskPlan(
            mentee=sam,
            skill="React",
            state=AskState.ACCEPTED,
            created=b.ago(1),
            helper=b.helper_for("React", exclude=me),
            format=AskFormat.CALL_30,
            title="Feedback on my React component structure",
        )
    )
    for days, title, skill in (
        (12, "Index strategy for the order history page", "PostgreSQL"),
        (26, "Read an EXPLAIN plan with me", "Query optimisation"),
    ):
        story = b.story(
            AskPlan(
                mentee=sam,
                skill=skill,
                state=AskState.COMPLETED,
                created=b.ago(days),
                helper=priya,
                format=AskFormat.CALL_30,
                title=title,
            )
        )
        story.forced = True
    # The demo mentor helped people in several teams; the organiser coaches now and then.
    for i, mentee in enumerate(b.spread(b.others, 5)):
        skill = rng.choice(("PostgreSQL", "Django", "Database design", "Query optimisation"))
        story = b.story(
            AskPlan(
                mentee=mentee, skill=skill, state=AskState.COMPLETED, created=b.ago(8 + 9 * i), helper=priya
            )
        )
        story.forced = i < 2
    for i, mentee in enumerate(b.spread(b.others, 2, offset=7)):
        b.story(
            AskPlan(
                mentee=mentee,
                skill="Career development",
                state=AskState.COMPLETED,
                created=b.ago(10 + 15 * i),
                helper=cast.organiser,
                format=AskFormat.CALL_60,
            )
        )


def mentor_inbox(b) -> None:
    """Open offers waiting for the demo mentor (with their reasons), and a few past ones."""
    priya = b.cast.mentor
    mentees = b.spread(b.others, 4, offset=3)
    for i, mentee in enumerate(mentees):
        skill = ("PostgreSQL", "Django", "Query optimisation", "Database design")[i % 4]
        b.story(
            AskPlan(
                mentee=mentee,
                skill=skill,
                state=AskState.OFFERED,
                created=b.ago(hours=2 + 3 * i),
                others=[priya, *b.experts(skill, exclude={mentee.id, priya.id}, n=2)],
                urgency=(Urgency.THIS_WEEK, Urgency.FLEXIBLE)[i % 2],
            )
        )
    for i, mentee in enumerate(b.spread(b.others, 3, offset=11)):
        helper = b.helper_for("PostgreSQL", exclude={mentee.id, priya.id}, fallback=False)
        state = AskState.COMPLETED if helper else AskState.UNMATCHED
        b.story(
            AskPlan(
                mentee=mentee,
                skill="PostgreSQL",
                state=state,
                created=b.ago(20 + 11 * i),
                helper=helper,
                others=[priya],
            )
        )


def login_bookings(b, blocks) -> None:
    """Upcoming bookings for the demo mentee, a cancelled one, and a place on a waiting list."""
    cast, rng, rows = b.cast, b.rng, b.bookings
    sam = cast.mentee
    taken = {(id(b.slot.office_hours), b.start) for b in rows.bookings}

    def open_slots(block, *, after: dt.datetime, before: dt.datetime):
        return [
            s
            for s in oh.slots_of(block, cast)
            if after < s.start < before
            and (id(block), s.start) not in taken
            and oh.free(rows, sam.id, s.start, s.end)
        ]

    far = cast.moment + dt.timedelta(weeks=8)
    for block, _, skill in blocks[:3]:  # the demo mentor's block first, then two other zones
        found = open_slots(block, after=cast.moment + dt.timedelta(hours=20), before=far)
        if found:
            booking = oh.book(rows, rng, cast, block, found[0], sam, skill=skill)
            taken.add((id(block), booking.start))
            b.booking_session(block, booking)
    block, _, skill = blocks[0]
    found = open_slots(
        block, after=cast.moment - dt.timedelta(weeks=4), before=cast.moment - dt.timedelta(days=3)
    )
    if found:  # a booking the mentee had to cancel
        booking = oh.book(rows, rng, cast, block, found[-1], sam, skill=skill, cancel_by=sam)
        b.booking_session(block, booking)
    for booking in rows.bookings:  # and a place on the waiting list of a full upcoming slot
        if (
            booking.state == BookingState.CONFIRMED
            and booking.start > cast.moment
            and booking.slot.seats == 1
            and sam.id not in (booking.mentee_id, booking.mentor_id)
        ):
            oh.wait(rows, cast, booking.slot, sam, topic=f"{booking.topic} (any free seat)")
            break
