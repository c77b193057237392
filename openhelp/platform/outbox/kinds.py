"""Every kind of domain event, by name. The names are an interface (insights, the helper network, and
next chat apps and webhooks read them): add kinds freely, never rename or repurpose one.

Each entry says what the payload holds (ids; ``actor_id`` is on the event itself)."""

from __future__ import annotations

KINDS: dict[str, str] = {
    # asks (asks.lifecycle.transition records ask.<new state> for every state change)
    "ask.published": "ask, mentee",  # draft → open
    "ask.reopened": "ask, mentee",  # offered, unmatched, or its helper left → open (a new routing round)
    "ask.resumed": "ask, mentee",  # scheduled or answered → accepted (call cancelled, follow-up)
    "ask.updated": "ask, mentee",  # a published ask edited (skills, programme, text)
    "ask.offered": "ask, mentee",
    "ask.accepted": "ask, mentee",
    "ask.scheduled": "ask, mentee",
    "ask.answered": "ask, mentee",
    "ask.completed": "ask, mentee",
    "ask.cancelled": "ask, mentee",
    "ask.unmatched": "ask, mentee",
    "ask.expired": "ask, mentee",
    # offers (routing.services)
    "offer.made": "offer, ask, mentor",
    "offer.accepted": "offer, ask, mentor",
    "offer.declined": "offer, ask, mentor",
    "offer.expired": "offer, ask, mentor",
    # office-hours bookings (officehours.booking, officehours.changes)
    "booking.confirmed": "booking, mentee, mentor, starts_at",
    "booking.cancelled": "booking, mentee, mentor, starts_at",
    "booking.rescheduled": "booking, mentee, mentor, starts_at, previous_starts_at",
    # sessions (mentoring.services opens them; mentoring.lifecycle.transition records each state change)
    "session.opened": "session, mentor, mentee",
    "session.moved": "session, mentor, mentee, previous_starts_at",
    "session.held": "session, mentor, mentee",
    "session.cancelled": "session, mentor, mentee",
    "session.debriefed": "session, mentor, mentee",
    # community
    "kudos.given": "kudos, giver, receiver, public",
    "endorsement.given": "endorsement, session, mentor, mentee, skill",
    "moment.logged": "moment, author",
    "moment.deleted": "moment, author, created_at",
    "introduction.made": "introduction, introducer, first, second",
    "introduction.connected": "introduction, introducer, first, second",
    # people and organisers
    "person.imported": "person, team, previous_team, batch",
    "profile.team_changed": "person, team, previous_team",
    "person.deleted": "person, team",  # the account and everything of theirs is deleted with the event
    "team.deleted": "team, members",
    "member.added": "programme, person",
    "member.removed": "programme, person",
    # provisioning (SCIM: the company directory creates, changes and deactivates people and teams)
    "person.provisioned": "person, team",  # an account created (or a deleted one brought back) by the directory
    "person.updated": "person",  # name, e-mail, title or manager changed by the directory
    "person.deactivated": "person, team",  # can no longer log in; history kept, commitments released
    "person.reactivated": "person, team",  # can log in again
    "team.provisioned": "team",  # a team created by the directory
    "team.updated": "team, previous_name",  # a team renamed by the directory
}
