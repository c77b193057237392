"""The debrief: takeaways, resources, outcome, the mentee's rating and private feedback to the mentor,
the mentor's endorsement, and consent to publish to the library.

Who writes what: either participant edits takeaways, resources and outcome; only the mentee rates and
writes feedback to the mentor (which only the two of them ever see); each person gives or withdraws their
own consent; only the mentor endorses. Only provided fields change, so two people saving their own
parts at once never undo each other. While both consent, takeaways and resources (nothing else) are in
the library through ``openhelp.directory.library.services.publish_from_debrief`` (edits refresh the entry); when either
withdraws consent, the entry is taken out.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.library.services import publish_from_debrief, withdraw_entry
from openhelp.directory.skills.models import Skill
from openhelp.help.mentoring import lifecycle
from openhelp.help.mentoring.models import (
    MAX_RESOURCES,
    MAX_TAKEAWAYS,
    Debrief,
    Outcome,
    Session,
)
from openhelp.help.mentoring.services import require_participant
from openhelp.platform.lib.clock import now
from openhelp.platform.outbox.events import record

MAX_TAKEAWAY = 300
MAX_RESOURCE_TITLE = 120
MAX_FEEDBACK = 2000
MENTEE_ONLY = ("rating", "feedback_to_mentor")
_https = URLValidator(schemes=["https"])


def debrief_of(session: Session) -> Debrief | None:
    return Debrief.objects.filter(session=session).first()


def clean_takeaways(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        raise ValidationError({"takeaways": ["Send the takeaways as a list of short sentences."]})
    items = [" ".join(str(item).split()) for item in value if str(item or "").strip()]
    if len(items) > MAX_TAKEAWAYS:
        raise ValidationError(
            {"takeaways": [f"Keep it to {MAX_TAKEAWAYS} takeaways (there are {len(items)})."]}
        )
    too_long = [i for i, item in enumerate(items, 1) if len(item) > MAX_TAKEAWAY]
    if too_long:
        raise ValidationError(
            {"takeaways": [f"Takeaway {too_long[0]} is too long: keep each under {MAX_TAKEAWAY} characters."]}
        )
    return items


def clean_resources(value: Any) -> list[dict[str, str]]:
    """[{"title", "url"}], https links only (a resource others may open must not be a plain-text or
    script link)."""
    if not isinstance(value, list | tuple):
        raise ValidationError({"resources": ["Send the resources as a list of {title, url}."]})
    cleaned: list[dict[str, str]] = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise ValidationError({"resources": [f"Resource {number}: give a title and a link."]})
        title = " ".join(str(item.get("title") or "").split())
        url = str(item.get("url") or "").strip()
        if not title and not url:
            continue
        if not title:
            raise ValidationError({"resources": [f"Resource {number}: give it a title."]})
        if len(title) > MAX_RESOURCE_TITLE:
            raise ValidationError(
                {"resources": [f"Resource {number}: keep the title under {MAX_RESOURCE_TITLE} characters."]}
            )
        try:
            _https(url)
        except ValidationError:
            raise ValidationError(
                {"resources": [f"Resource {number}: the link must be a full https:// address."]}
            ) from None
        cleaned.append({"title": title, "url": url})
    if len(cleaned) > MAX_RESOURCES:
        raise ValidationError({"resources": [f"Keep it to {MAX_RESOURCES} resources."]})
    return cleaned


def _clean_rating(value: Any) -> int | None:
    if value in ("", None):
        return None
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": ["Rate from 1 (not helpful) to 5 (very helpful)."]})
    return rating


def _clean_outcome(value: Any) -> str:
    outcome = value or ""
    if outcome and outcome not in Outcome.values:
        raise ValidationError({"outcome": ["Choose solved, partly or not yet."]})
    return outcome


def _clean_feedback(value: Any) -> str:
    feedback = (value or "").strip()
    if len(feedback) > MAX_FEEDBACK:
        raise ValidationError({"feedback_to_mentor": [f"Keep the feedback under {MAX_FEEDBACK} characters."]})
    return feedback


CLEANERS = {
    "takeaways": clean_takeaways,
    "resources": clean_resources,
    "outcome": _clean_outcome,
    "rating": _clean_rating,
    "feedback_to_mentor": _clean_feedback,
}


def _clean(session: Session, actor, changes: dict[str, Any]) -> dict[str, Any]:
    """Every field's problems at once, keyed by field; the consent becomes the actor's own flag."""
    is_mentee = actor.pk == session.mentee_id
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, cleaner in CLEANERS.items():
        if name not in changes:
            continue
        if name in MENTEE_ONLY and not is_mentee:
            errors[name] = ["Only the mentee rates the session and writes feedback to the mentor."]
            continue
        try:
            cleaned[name] = cleaner(changes[name])
        except ValidationError as error:
            errors.update(error.message_dict)
    if "consents_to_publish" in changes:
        field = "mentee_consents_to_publish" if is_mentee else "mentor_consents_to_publish"
        cleaned[field] = bool(changes["consents_to_publish"])
    if errors:
        raise ValidationError(errors)
    return cleaned


def record_debrief(*, session: Session, actor, **changes: Any) -> Debrief:
    """Save the given parts of the debrief (takeaways, resources, outcome, rating, feedback_to_mentor,
    consents_to_publish); publish to the library once both people consent.

    A debrief opens once the session has taken place (``lifecycle.check_can_debrief``: a call from its
    start, an async session from its acceptance); before that it is refused, with the time it opens. The
    first takeaway or outcome completes the session and closes its ask, in the same transaction.
    """

    require_participant(session, actor)
    unknown = set(changes) - {*MENTEE_ONLY, "takeaways", "resources", "outcome", "consents_to_publish"}
    if unknown:
        raise ValidationError({name: ["This is not part of a debrief."] for name in sorted(unknown)})
    lifecycle.check_can_debrief(session)
    cleaned = _clean(session, actor, changes)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        lifecycle.check_can_debrief(locked)  # re-checked on the locked row: cancelled a moment ago?
        debrief, _ = Debrief.objects.get_or_create(session=locked)
        for name, value in cleaned.items():
            setattr(debrief, name, value)
        debrief.save(update_fields=[*cleaned, "updated_at"])
        record(
            "session.debriefed",
            actor=actor,
            session=locked.pk,
            mentor=locked.mentor_id,
            mentee=locked.mentee_id,
        )
        if debrief.outcome or debrief.takeaways:
            lifecycle.complete_session(session=session, actor=actor, note="The session was debriefed.")
        _sync_library(debrief, actor=actor)
    return debrief


def library_entry_of(debrief: Debrief | None):
    if debrief is None:
        return None
    return LibraryEntry.objects.filter(debrief=debrief).first()


def _sync_library(debrief: Debrief, *, actor) -> None:
    """Publish (or refresh) while both consent; take the entry out when either withdraws.

    An entry one of them took out from the library page stays out until consent is given afresh.
    """
    entry = library_entry_of(debrief)
    if not debrief.both_consent:
        if entry is not None:
            withdraw_entry(entry=entry, actor=actor)
        if debrief.published_at is not None:
            debrief.published_at = None
            Debrief.objects.filter(pk=debrief.pk).update(published_at=None)
        return
    if entry is None and debrief.published_at is not None:
        return
    if publish_from_debrief(debrief=debrief) is not None and debrief.published_at is None:
        debrief.published_at = now()
        Debrief.objects.filter(pk=debrief.pk).update(published_at=debrief.published_at)


# --- Endorsement --------------------------------------------------------------------------------------


def endorsable_skills(session: Session):
    """The session's skills, else what the mentor offers to teach."""
    own = list(session.skills.all())
    if own:
        return own
    return list(Skill.objects.filter(offers__profile__user_id=session.mentor_id).distinct().order_by("name"))
