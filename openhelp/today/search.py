"""One search from the header across people, skills, asks and the library.

Each group reuses the query its own list page runs (the directory's ``search_profiles``, the skills
list's ``search_skills``, the library's ``search_library``), so "See all" shows the same results, and
only what the viewer may see: people in the directory, skills they may see, their own asks and asks they
take part in or were offered, library entries. Bounded: the text is trimmed to ``MAX_QUERY`` characters,
each group shows at most ``PER_GROUP`` results, and the page costs the same queries for any data size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from openhelp.directory.library.services import search_library
from openhelp.directory.people.directory import DirectoryFilters, search_profiles
from openhelp.directory.skills.models import Skill
from openhelp.directory.skills.services import search_skill_ids, search_skills
from openhelp.help.asks.models import Ask
from openhelp.help.routing.models import Offer

MAX_QUERY = 100
PER_GROUP = 5
SKILLS_MAX_QUERY = 80  # the skills list's own search field is shorter


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str = ""
    badge: str = ""
    profile: object | None = None  # people: the avatar
    api_url: str = ""  # the same object in the REST API (openhelp/today/api.py)


@dataclass
class Group:
    key: str
    title: str
    icon: str
    count: int
    hits: list[Hit] = field(default_factory=list)
    see_all_url: str = ""
    see_all_label: str = ""

    @property
    def has_more(self) -> bool:
        return self.count > len(self.hits)


def clean_query(raw: str) -> str:
    """Trimmed, inner runs of white space collapsed, at most ``MAX_QUERY`` characters."""
    return " ".join(raw.split())[:MAX_QUERY].strip()


def _with_query(url_name: str, text: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'q': text})}"


def _people(user, text: str) -> Group:
    profiles: Any = search_profiles(DirectoryFilters(q=text), viewer=user)  # annotated with available_now
    hits = [
        Hit(
            title=profile.display_name,
            url=reverse("people:detail", args=[profile.pk]),
            detail=profile.headline,
            badge="Open to help" if profile.available_now else "",
            profile=profile,
            api_url=reverse("v1:people-detail", args=[profile.pk]),
        )
        for profile in profiles[:PER_GROUP]
    ]
    return Group(
        "people",
        "People",
        "users",
        profiles.count(),
        hits,
        _with_query("people:directory", text),
        "See all people",
    )


def _skills(user, text: str) -> Group:
    text = text[:SKILLS_MAX_QUERY]
    skills = search_skills(user=user, text=text).order_by("name", "pk")
    hits = []
    skill: Any  # annotated with offer_count
    for skill in skills[:PER_GROUP]:
        people = skill.offer_count
        detail = f"{people} {'person offers' if people == 1 else 'people offer'} it"
        if skill.status != Skill.Status.APPROVED:
            detail = f"{skill.get_status_display()} · {detail}"
        hits.append(
            Hit(
                title=skill.name,
                url=reverse("skills:detail", args=[skill.slug]),
                detail=detail,
                api_url=reverse("v1:skill-detail", args=[skill.slug]),
            )
        )
    return Group(
        "skills", "Skills", "tag", skills.count(), hits, _with_query("skills:list", text), "See all skills"
    )


def asks_for(user, text: str) -> QuerySet[Ask]:
    """Asks this person may find: theirs, those they take part in, and those offered to them."""
    offered = Offer.objects.filter(mentor=user)
    mine = Ask.objects.involving(user).values("pk")
    asks = Ask.objects.filter(Q(pk__in=mine) | Q(pk__in=offered.values("ask_id")))
    matching = Q(title__icontains=text) | Q(objective__icontains=text)
    skill_ids = search_skill_ids(text, user=user)
    if skill_ids:
        matching |= Q(pk__in=Ask.skills.through.objects.filter(skill_id__in=skill_ids).values("ask_id"))
    return (
        asks.filter(matching)
        .annotate(
            is_mine=Exists(Ask.objects.involving(user).filter(pk=OuterRef("pk"))),
            my_offer_id=Subquery(offered.filter(ask_id=OuterRef("pk")).values("pk")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def _asks(user, text: str) -> Group:
    asks = asks_for(user, text)
    hits = []
    ask: Any  # annotated with is_mine and my_offer_id
    for ask in asks[:PER_GROUP]:
        if ask.is_mine:
            hit = Hit(
                ask.title,
                reverse("asks:detail", args=[ask.pk]),
                ask.objective,
                ask.get_state_display(),
                api_url=reverse("v1:asks-detail", args=[ask.pk]),
            )
        else:  # offered to me: the offer page is where I read it and answer
            hit = Hit(
                ask.title,
                reverse("routing:offer", args=[ask.my_offer_id]),
                ask.objective,
                "Offered to you",
                api_url=reverse("v1:offers-detail", args=[ask.my_offer_id]),
            )
        hits.append(hit)
    return Group(
        "asks", "Asks", "chat-bubble-left-right", asks.count(), hits, reverse("asks:list"), "See my asks"
    )


def _library(user, text: str) -> Group:
    entries = search_library(user=user, text=text)
    hits = [
        Hit(
            title=entry.title,
            url=entry.get_absolute_url(),
            detail=", ".join(skill.name for skill in entry.skills.all()),
            api_url=reverse("v1:library-detail", args=[entry.pk]),
        )
        for entry in entries[:PER_GROUP]
    ]
    return Group(
        "library",
        "Library",
        "book-open",
        entries.count(),
        hits,
        _with_query("library:list", text),
        "See all in the library",
    )


def search_everything(*, user, text: str) -> list[Group]:
    """Every group for ``text``, in a fixed order (empty groups included, with a count of 0)."""
    return [_people(user, text), _skills(user, text), _asks(user, text), _library(user, text)]


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    text = clean_query(request.GET.get("q", ""))
    groups = search_everything(user=request.user, text=text) if text else []
    context = {
        "query": text,
        "groups": groups,
        "total": sum(group.count for group in groups),
        "max_query": MAX_QUERY,
    }
    if request.headers.get("HX-Request"):
        return render(request, "today/_search_results.html", context)
    return render(request, "today/search.html", context)
