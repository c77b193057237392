"""Library pages: search, one entry, withdrawing an entry, and suggestions for the ask form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from openhelp.directory.library import services
from openhelp.directory.library.forms import LibrarySearchForm
from openhelp.directory.skills.services import resolve_skill

PER_PAGE = 20
MAX_SKILLS = 10


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    form = LibrarySearchForm(request.GET, user=request.user)
    form.is_valid()  # an unknown skill is shown next to its field; the text search still applies
    text = form.cleaned_data.get("q", "")
    skill = form.cleaned_data.get("skill")
    entries = services.search_library(user=request.user, text=text, skill=skill)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filtered": bool(text or skill or request.GET.get("skill")),
        "query": query.urlencode(),
    }
    return render(request, "library/list.html", context)


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(services.entries_for_display(user=request.user), pk=pk)
    return render(
        request, "library/detail.html", {"entry": entry, "can_withdraw": entry.is_participant(request.user)}
    )


@login_required
@require_POST
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(services.entries_for_display(user=request.user), pk=pk)
    if not entry.is_participant(request.user):
        raise Http404
    services.withdraw_entry(entry=entry, actor=request.user)
    messages.success(request, "The takeaways are no longer in the library.")
    return redirect("library:list")


def suggestion_json(entry) -> dict:
    return {
        "id": entry.pk,
        "title": entry.title,
        "takeaways": entry.takeaways[:3],
        "skills": [skill.name for skill in entry.skills.all()],
        "url": entry.get_absolute_url(),
    }


@login_required
@require_GET
def suggestions_json(request: HttpRequest) -> JsonResponse:
    """For the ask form: library entries on the skills typed so far ("these may already answer it")."""
    skills = [resolve_skill(name, user=request.user) for name in request.GET.getlist("skill")[:MAX_SKILLS]]
    entries = services.suggestions_for_skills(
        skill_ids={skill.pk for skill in skills if skill is not None}, user=request.user
    )
    return JsonResponse({"results": [suggestion_json(entry) for entry in entries]})
