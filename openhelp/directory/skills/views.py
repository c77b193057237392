"""Skill pages: browse, detail, autocomplete, propose, and the organisers' moderation queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.directory.skills import services, skill_people
from openhelp.directory.skills.forms import (
    MergeSkillForm,
    ProposeSkillForm,
    RenameSkillForm,
    SkillSearchForm,
    duplicate_error,
)
from openhelp.directory.skills.models import SKILL_LEVELS, Skill
from openhelp.platform.accounts.decorators import organiser_required
from openhelp.platform.lib.clock import now

SKILLS_PER_PAGE = 100


def _person_card_template() -> str:
    # The people app's card is preferred once it exists; until then a small card of our own.
    return select_template(["people/_person_card.html", "skills/_person_card_fallback.html"]).template.name


def suggestion_json(suggestion: services.Suggestion) -> dict:
    skill = suggestion.skill
    return {
        "id": skill.pk,
        "name": skill.name,
        "slug": skill.slug,
        "label": suggestion.label,
        "alias": suggestion.alias or None,
        "category": skill.category.name if skill.category else None,
        "status": skill.status,
        "url": reverse("skills:detail", args=[skill.slug]),
    }


@login_required
@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    text = request.GET.get("q", "")[:80]
    suggestions = services.autocomplete_skills(text, user=request.user)
    return JsonResponse({"query": text, "results": [suggestion_json(s) for s in suggestions]})


@login_required
@require_GET
def skill_list(request: HttpRequest) -> HttpResponse:
    form = SkillSearchForm(request.GET)
    form.is_valid()  # an unknown category is shown as an error; the search text still applies
    text, category = form.cleaned_data.get("q", ""), form.cleaned_data.get("category")
    skills = services.search_skills(user=request.user, text=text, category=category).order_by(
        "category__name", "name"
    )
    page = Paginator(skills, SKILLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "skills/list.html",
        {"form": form, "page": page, "query": text, "filtered": bool(text or category)},
    )


@login_required
@require_GET
def skill_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewable = services.viewable_skills(request.user)
    skill = get_object_or_404(
        viewable.select_related("category", "parent", "proposed_by__profile"), slug=slug
    )
    offers_after, wanted_after, cursor_error = _cursors(request)
    offers = skill_people.offers_page(skill, today=now().date(), after=offers_after)
    wanted = skill_people.wanted_page(skill, after=wanted_after)
    skill_people.load_top_skills(offers, wanted)
    context = {
        "skill": skill,
        "offers": offers,
        "offer_count": skill_people.offer_count(skill),
        "offers_later": offers_after is not None,
        "wanted": wanted,
        "wanted_count": skill_people.wanted_count(skill),
        "wanted_later": wanted_after is not None,
        "cursor_error": cursor_error,
        "children": viewable.filter(parent=skill).order_by("name"),
        "aliases": list(skill.aliases.all()),
        "parent_visible": skill.parent is not None and viewable.filter(pk=skill.parent_id).exists(),
        "skill_levels": SKILL_LEVELS,
        "person_card_template": _person_card_template(),
        "rename_form": RenameSkillForm(initial={"name": skill.name}) if request.user.is_organiser else None,
        "merge_form": MergeSkillForm(user=request.user) if request.user.is_organiser else None,
    }
    return render(request, "skills/detail.html", context)


def _cursors(
    request: HttpRequest,
) -> tuple[skill_people.OfferKey | None, skill_people.WantedKey | None, str]:
    """Where the skill page's two lists start (``after``, ``wanted_after``); a made-up cursor starts its
    list from the top and says so."""
    offers_after = wanted_after = None
    error = ""
    try:
        if token := request.GET.get("after", "")[:400]:
            offers_after = skill_people.OfferKey.decode(token)
        if token := request.GET.get("wanted_after", "")[:400]:
            wanted_after = skill_people.WantedKey.decode(token)
    except ValueError as invalid:
        error = str(invalid)
    return offers_after, wanted_after, error


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    form = ProposeSkillForm(
        request.POST or None, user=request.user, initial={"name": request.GET.get("name", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            skill = services.propose_skill(user=request.user, **form.cleaned_data)
        except services.DuplicateSkill as error:
            form.add_error(
                "name", duplicate_error(form.cleaned_data["name"], error.existing, user=request.user)
            )
        except ValidationError as error:
            form.add_error("name" if error.code != "rate_limited" else None, error)
        else:
            messages.success(
                request,
                f"“{skill.name}” is ready for you to use. Others will see it once an organiser approves it.",
            )
            return redirect("skills:detail", slug=skill.slug)
    return render(
        request,
        "skills/propose.html",
        {"form": form, "proposals_left": services.proposals_left(user=request.user)},
    )


@organiser_required
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    proposals = services.with_people_counts(
        Skill.objects.filter(status=Skill.Status.PROPOSED).select_related(
            "category", "parent", "proposed_by__profile"
        )
    ).order_by("created_at", "pk")
    page = Paginator(proposals, SKILLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "skills/moderation.html", {"page": page})


def _moderated_skill(slug: str) -> Skill:
    return get_object_or_404(Skill.objects.select_related("proposed_by"), slug=slug)


def _back(request: HttpRequest, skill: Skill | None = None) -> HttpResponse:
    if request.POST.get("next") == "moderation" or skill is None:
        return redirect("skills:moderation")
    return redirect("skills:detail", slug=skill.slug)


@organiser_required
@require_POST
def approve(request: HttpRequest, slug: str) -> HttpResponse:
    skill = _moderated_skill(slug)
    try:
        services.approve_skill(skill=skill)
    except services.AlreadyApproved as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, f"“{skill.name}” is approved and visible to everyone.")
    return _back(request, skill)


@organiser_required
@require_POST
def reject(request: HttpRequest, slug: str) -> HttpResponse:
    skill = _moderated_skill(slug)
    try:
        services.reject_skill(skill=skill, reason=request.POST.get("reason", "")[:500])
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back(request, skill)
    messages.success(request, f"The proposal “{skill.name}” was rejected.")
    return redirect("skills:moderation")


@organiser_required
@require_http_methods(["GET", "POST"])
def rename(request: HttpRequest, slug: str) -> HttpResponse:
    skill = _moderated_skill(slug)
    form = RenameSkillForm(request.POST or None, initial={"name": skill.name})
    if request.method == "POST" and form.is_valid():
        old_name = skill.name
        try:
            services.rename_skill(skill=skill, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, f"“{old_name}” is now “{skill.name}”; the old name still finds it.")
            return _back(request, skill)
    return render(request, "skills/moderate_form.html", {"skill": skill, "form": form, "action": "rename"})


@organiser_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, slug: str) -> HttpResponse:
    skill = _moderated_skill(slug)
    form = MergeSkillForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.merge_skills(source=skill, target=form.cleaned_data["into"])
        except ValidationError as error:
            form.add_error("into", error)
        else:
            messages.success(request, f"“{skill.name}” was merged into “{target.name}”.")
            if request.POST.get("next") == "moderation":
                return redirect("skills:moderation")
            return redirect("skills:detail", slug=target.slug)
    return render(request, "skills/moderate_form.html", {"skill": skill, "form": form, "action": "merge"})
