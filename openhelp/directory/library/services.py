"""Publishing debriefs to the takeaways library, searching it, and suggesting entries for an ask.

``publish_from_debrief`` is called by the mentoring app (a layer above) once both participants consented. It copies
exactly two things from the debrief — the takeaways and the resources (https links only) — and the
session's skills; notes, the rating and feedback to the mentor never leave the session.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet

from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.skills.models import Skill, normalise_skill_name
from openhelp.directory.skills.services import search_skill_ids, with_descendants

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from openhelp.platform.accounts.models import User


class SharedDebrief(Protocol):
    """What the library reads of a session's debrief (the mentoring app, a layer above, passes one)."""

    pk: Any
    mentee_consents_to_publish: bool
    mentor_consents_to_publish: bool
    takeaways: Any
    resources: Any
    session: Any


MAX_TAKEAWAYS = 10
MAX_TAKEAWAY = 500
MAX_RESOURCES = 10
MAX_RESOURCE_TITLE = 200
MAX_URL = 500
SUGGESTIONS = 5


def clean_takeaways(raw: object) -> list[str]:
    """Non-empty sentences, single-spaced, at most MAX_TAKEAWAYS of MAX_TAKEAWAY characters."""
    if not isinstance(raw, list):
        return []
    cleaned = [" ".join(str(item).split())[:MAX_TAKEAWAY] for item in raw if isinstance(item, str)]
    return [item for item in cleaned if item][:MAX_TAKEAWAYS]


def clean_resources(raw: object) -> list[dict[str, str]]:
    """Resources with an https link (anything else is dropped: it could not be safely shown to others)."""
    if not isinstance(raw, list):
        return []
    cleaned = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        url = str(item.get("url") or "").strip()
        if not url.lower().startswith("https://") or len(url) > MAX_URL or any(c.isspace() for c in url):
            continue
        title = " ".join(str(item.get("title") or "").split())[:MAX_RESOURCE_TITLE] or url
        cleaned.append({"title": title, "url": url})
    return cleaned[:MAX_RESOURCES]


def entry_title(skills: Iterable[Skill]) -> str:
    names = [skill.name for skill in skills]
    if not names:
        return "Takeaways from a session"
    if len(names) == 1:
        return f"Takeaways on {names[0]}"
    return f"Takeaways on {', '.join(names[:-1])} and {names[-1]}"[:200]


def search_text_for(title: str, takeaways: list[str], resources: list[dict[str, str]]) -> str:
    parts = [title, *takeaways, *(r["title"] for r in resources)]
    return normalise_skill_name(" ".join(parts))


def publish_from_debrief(*, debrief: SharedDebrief) -> LibraryEntry | None:
    """Publish (or refresh) the library entry of a debrief both participants agreed to share.

    Returns None, publishing nothing, without both consents or when there is nothing to share. Calling it
    again updates the same entry, so editing a debrief and re-publishing never makes a duplicate.
    """
    if not (debrief.mentee_consents_to_publish and debrief.mentor_consents_to_publish):
        return None
    takeaways = clean_takeaways(debrief.takeaways)
    resources = clean_resources(debrief.resources)
    if not takeaways and not resources:
        return None
    session = debrief.session
    skills = list(session.skills.order_by("name"))
    title = entry_title(skills)
    fields = {
        "title": title,
        "takeaways": takeaways,
        "resources": resources,
        "mentor_id": session.mentor_id,
        "mentee_id": session.mentee_id,
        "search_text": search_text_for(title, takeaways, resources),
    }
    try:
        with transaction.atomic():
            entry, _ = LibraryEntry.objects.update_or_create(debrief_id=debrief.pk, defaults=fields)
            entry.skills.set(skills)
    except IntegrityError:
        # Both consents arrived at the same moment and the other request created the entry first.
        with transaction.atomic():
            entry = LibraryEntry.objects.get(debrief_id=debrief.pk)
            LibraryEntry.objects.filter(pk=entry.pk).update(**fields)
            entry.skills.set(skills)
            entry.refresh_from_db()
    return entry


def withdraw_entry(*, entry: LibraryEntry, actor: User) -> None:
    """Either participant may take an entry out of the library again (consent can be withdrawn)."""
    if not entry.is_participant(actor):
        raise PermissionDenied("Only the two people of the session can withdraw its takeaways.")
    entry.delete()


# --- Reading ---------------------------------------------------------------------------------------


def entries_for_display(*, user: User | AnonymousUser) -> QuerySet[LibraryEntry]:
    """Entries with their mentor and the skills this person may see, in a fixed number of queries."""
    return LibraryEntry.objects.select_related("mentor__profile").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.visible_to(user).order_by("name"))
    )


def _on_skills(skill_ids: Iterable[int]) -> Q:
    through = LibraryEntry.skills.through.objects.filter(skill_id__in=list(skill_ids))
    return Q(pk__in=through.values("libraryentry_id"))


def search_library(
    *, user: User | AnonymousUser, text: str = "", skill: Skill | None = None
) -> QuerySet[LibraryEntry]:
    """Entries matching every word of ``text`` (or a skill it names, aliases included) and ``skill``.

    A skill covers its children too: a search for Python finds entries on Django.
    """
    entries = entries_for_display(user=user)
    if skill is not None:
        entries = entries.filter(_on_skills(with_descendants([skill.pk])))
    key = normalise_skill_name(text)
    if key:
        words = Q()
        for word in key.split()[:10]:
            words &= Q(search_text__contains=word)
        skill_ids = search_skill_ids(text, user=user)
        entries = entries.filter(words | _on_skills(skill_ids)) if skill_ids else entries.filter(words)
    return entries


def entries_for_skill(*, skill: Skill, user: User | AnonymousUser) -> QuerySet[LibraryEntry]:
    """What the library holds on a skill (and its children), newest first, for the skill's page."""
    return entries_for_display(user=user).filter(_on_skills(with_descendants([skill.pk])))


def suggestions_for_skills(
    *, skill_ids: Iterable[int], user: User | AnonymousUser, limit: int = SUGGESTIONS
) -> list[LibraryEntry]:
    """ "These may already answer it": entries sharing the most skills with an ask being written."""
    ids = with_descendants(set(skill_ids))
    if not ids:
        return []
    return list(
        entries_for_display(user=user)
        .filter(_on_skills(ids))
        .annotate(matching=Count("skills", filter=Q(skills__in=ids), distinct=True))
        .order_by("-matching", "-published_at", "-pk")[:limit]
    )
