"""Ask pages: my asks, write/edit, the ask itself (status, timeline, thread, actions), cancel.

Only the mentee, the co-askers and the accepted helper ever see an ask; anyone else gets a 404. A step the
ask's state does not allow shows a notice and leaves the ask as it was; it never fails with a 5xx.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.directory.skills.services import resolve_skill
from openhelp.help.asks import services
from openhelp.help.asks.display import (
    CLOSED_STATES,
    count_open_and_closed,
    group_asks,
    status_text,
    timeline_rows,
    with_offer_counts,
)
from openhelp.help.asks.estimates import (
    estimated_wait,
    estimated_wait_for,
    no_history_text,
    no_history_text_for,
)
from openhelp.help.asks.forms import (
    ERROR_FIELD,
    SKILL_FIELDS,
    AnsweredForm,
    AskForm,
    CancelForm,
    CoAskersForm,
    FollowUpForm,
    MessageForm,
    ScheduleForm,
)
from openhelp.help.asks.lifecycle import AskConflict, can_transition
from openhelp.help.asks.models import Ask, AskState, Message
from openhelp.help.asks.suggest import candidate_preview, suggest_skills
from openhelp.platform.lib.forms import add_service_errors
from openhelp.platform.lib.numbers import id_from_text, ids_from_texts
from openhelp.platform.lib.ratelimit import is_rate_limited

ASKS_PER_PAGE = 50


def _visible_ask(request: HttpRequest, pk: int) -> Ask:
    return get_object_or_404(
        Ask.objects.involving(request.user).select_related(
            "mentee__profile", "helper__profile", "directed_to__profile"
        ),
        pk=pk,
    )


def _own_ask(request: HttpRequest, pk: int) -> Ask:
    ask = _visible_ask(request, pk)
    if ask.mentee_id != request.user.pk:
        raise Http404
    return ask


PUBLISHED = "Your ask is published. We will tell you as soon as an expert accepts it."


def _attempt(request: HttpRequest, step: Callable[[], object], success: str) -> bool:
    """Run a service step; a state conflict or a role problem becomes a notice instead of an error page."""
    try:
        step()
    except (AskConflict, PermissionDenied) as error:
        messages.error(request, str(error))
        return False
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


# --- Lists ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def ask_list(request: HttpRequest) -> HttpResponse:
    """My asks in two tabs, open (grouped by what they need) and closed, each paged on its own."""
    show = "closed" if request.GET.get("show") == "closed" else "open"
    mine = Ask.objects.asked_by(request.user)
    counts = count_open_and_closed(mine)
    shown = (
        mine.filter(state__in=CLOSED_STATES) if show == "closed" else mine.exclude(state__in=CLOSED_STATES)
    )
    asks = with_offer_counts(
        shown.select_related("mentee__profile", "helper__profile")
        .prefetch_related("skills")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(asks, ASKS_PER_PAGE).get_page(request.GET.get("page"))
    helping = list(
        Ask.objects.filter(helper=request.user, state__in=services.THREAD_OPEN)
        .select_related("mentee__profile")
        .order_by("-accepted_at")[:ASKS_PER_PAGE]
    )
    invitations = list(services.pending_invitations(user=request.user)[:ASKS_PER_PAGE])
    return render(
        request,
        "asks/list.html",
        {
            "show": show,
            "counts": counts,
            "page": page,
            "groups": group_asks(page.object_list),
            "helping": helping,
            "invitations": invitations,
        },
    )


# --- Writing -------------------------------------------------------------------------------------------


def _directed_to(request: HttpRequest):
    raw = request.POST.get("directed_to") or request.GET.get("directed_to")
    if not raw:
        return None
    person_id = id_from_text(raw)
    if person_id is None:
        raise Http404
    person = get_object_or_404(
        get_user_model().objects.select_related("profile"), pk=person_id, is_active=True
    )
    if person.pk == request.user.pk:
        messages.info(request, "You cannot ask yourself; here is a routed ask instead.")
        return None
    return person


def _initial_from_post(request: HttpRequest) -> dict:
    """What the person typed, as initial values: "Check" shows help without flagging unfinished fields."""
    data = request.POST
    initial = {name: data.get(name, "") for name in AskForm.base_fields if name != "languages"}
    initial.update({name: data.get(name, "") for name in data if name.startswith(("question_", "skill_"))})
    initial["languages"] = data.getlist("languages")
    added = (data.get("add_skill") or "").strip()
    if added:
        empty = [name for name in SKILL_FIELDS if not initial.get(name)]
        if empty:
            initial[empty[0]] = added
    return initial


def _writing_help(request: HttpRequest, values: dict, *, directed: bool) -> dict:
    """Suggested skills for the text and the live preview, computed from what is in the form now."""
    chosen = [s for s in (resolve_skill(values.get(n) or "", user=request.user) for n in SKILL_FIELDS) if s]
    text = " ".join(str(values.get(name) or "") for name in ("title", "objective", "context"))
    language_ids = ids_from_texts(values.get("languages") or [])
    count, preview = candidate_preview(
        skill_ids=[s.pk for s in chosen], language_ids=language_ids, mentee=request.user
    )
    urgency = values.get("urgency") or ""
    wait = estimated_wait(skill_ids=[s.pk for s in chosen], urgency=urgency) if chosen else None
    return {
        "suggestions": suggest_skills(text=text, user=request.user, exclude_ids=[s.pk for s in chosen]),
        "candidate_count": count,
        "candidate_text": preview,
        "wait_text": wait.text
        if wait
        else (no_history_text(urgency=urgency, directed=directed) if chosen else ""),
        "checked": True,
    }


def _render_form(request: HttpRequest, form: AskForm, *, ask: Ask | None, help_: dict | None = None):
    context = {"form": form, "ask": ask, "directed_to": form.directed_to, **(help_ or {})}
    return render(request, "asks/form.html", context)


def _save_and_maybe_publish(request: HttpRequest, ask: Ask) -> HttpResponse:
    if "publish" in request.POST and ask.state == AskState.DRAFT:
        if _attempt(
            request,
            lambda: services.publish_ask(ask=ask, actor=request.user),
            PUBLISHED,
        ):
            return redirect("asks:detail", pk=ask.pk)
    return redirect("asks:detail", pk=ask.pk)


@login_required
@require_http_methods(["GET", "POST"])
def ask_new(request: HttpRequest) -> HttpResponse:
    directed_to = _directed_to(request)
    if request.method == "POST" and ("check" in request.POST or "add_skill" in request.POST):
        initial = _initial_from_post(request)
        form = AskForm(initial=initial, user=request.user, directed_to=directed_to)
        return _render_form(
            request, form, ask=None, help_=_writing_help(request, initial, directed=directed_to is not None)
        )
    form = AskForm(
        request.POST or None,
        user=request.user,
        directed_to=directed_to,
        initial={"format": "call30", "urgency": "this_week"},
    )
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        write = services.create_and_publish_ask if publish else services.create_ask
        try:
            ask = write(mentee=request.user, **form.ask_fields())
        except services.NotPublished as refusal:
            messages.error(request, str(refusal))
            return redirect("asks:detail", pk=refusal.ask.pk)
        except ValidationError as error:
            add_service_errors(form, error, ERROR_FIELD)
        else:
            if publish:
                messages.success(request, PUBLISHED)
            else:
                messages.success(request, "Saved as a draft. Only you can see it until you publish it.")
            return redirect("asks:detail", pk=ask.pk)
    return _render_form(request, form, ask=None)


@login_required
@require_http_methods(["GET", "POST"])
def ask_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _own_ask(request, pk)
    if not ask.is_editable:
        messages.error(request, "An expert has accepted this ask, so it can no longer be edited.")
        return redirect("asks:detail", pk=ask.pk)
    if request.method == "POST" and ("check" in request.POST or "add_skill" in request.POST):
        initial = _initial_from_post(request)
        form = AskForm(initial=initial, user=request.user, directed_to=ask.directed_to)
        return _render_form(
            request,
            form,
            ask=ask,
            help_=_writing_help(request, initial, directed=ask.directed_to_id is not None),
        )
    form = AskForm(
        request.POST or None, user=request.user, directed_to=ask.directed_to, initial=AskForm.initial_for(ask)
    )
    if request.method == "POST" and form.is_valid():
        fields = form.ask_fields()
        fields.pop("directed_to")
        try:
            services.update_ask(ask=ask, actor=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error, ERROR_FIELD)
        except AskConflict as error:
            messages.error(request, str(error))
            return redirect("asks:detail", pk=ask.pk)
        else:
            messages.success(request, "Your changes are saved.")
            return _save_and_maybe_publish(request, ask)
    return _render_form(request, form, ask=ask)


@login_required
@require_POST
def suggest_skills_json(request: HttpRequest) -> JsonResponse:
    """For ask_form.js: skills the text mentions; ``chosen`` are names already in the skill inputs."""
    chosen = [resolve_skill(name, user=request.user) for name in request.POST.getlist("chosen")[:10]]
    suggestions = suggest_skills(
        text=request.POST.get("text", "")[:20_000],
        user=request.user,
        exclude_ids=[s.pk for s in chosen if s is not None],
    )
    return JsonResponse({"results": [{"id": s.pk, "name": s.name, "slug": s.slug} for s in suggestions]})


@login_required
@require_GET
def preview_json(request: HttpRequest) -> JsonResponse:
    """For ask_form.js: how many experts could take it this week, and the estimated wait."""
    skills = [resolve_skill(name, user=request.user) for name in request.GET.getlist("skill")[:10]]
    skill_ids = [s.pk for s in skills if s is not None]
    language_ids = ids_from_texts(request.GET.getlist("language")[:20])
    count, text = candidate_preview(skill_ids=skill_ids, language_ids=language_ids, mentee=request.user)
    urgency = request.GET.get("urgency", "")
    wait = estimated_wait(skill_ids=skill_ids, urgency=urgency) if skill_ids else None
    return JsonResponse(
        {
            "count": count,
            "text": text,
            "estimated_wait_seconds": int(wait.median.total_seconds()) if wait else None,
            "estimated_wait_text": wait.text
            if wait
            else (no_history_text(urgency=urgency) if skill_ids else ""),
        }
    )


# --- The ask -------------------------------------------------------------------------------------------


def _render_detail(request: HttpRequest, ask: Ask, *, status: int = 200, **forms) -> HttpResponse:
    viewer = request.user
    is_mentee = services.is_mentee(ask, viewer)
    is_helper = services.is_helper(ask, viewer)
    if is_helper and not is_mentee:
        request.nav_view = "routing:inbox"  # type: ignore[attr-defined]  # read by core.context_processors
    ask_with_related = (
        Ask.objects.filter(pk=ask.pk)
        .prefetch_related(
            "skills",
            "languages",
            "co_askers__profile",
        )
        .get()
    )
    thread, earlier = thread_page(ask, before=request.GET.get("before", ""))
    waiting = ask.state in {AskState.DRAFT, AskState.OPEN, AskState.OFFERED, AskState.UNMATCHED}
    wait = estimated_wait_for(ask_with_related) if waiting else None
    thread_open = ask.state in services.THREAD_OPEN
    co_askers = list(ask_with_related.co_askers.all())
    context = {
        "ask": ask,
        "skills": list(ask_with_related.skills.all()),
        "languages": list(ask_with_related.languages.all()),
        "co_askers": co_askers,
        "thread": thread,
        "earlier_messages": earlier,
        "timeline": timeline_rows(ask, viewer=viewer),
        "status": status_text(
            ask, offered=services.offered_count(ask) if ask.state == AskState.OFFERED else 0, viewer=viewer
        ),
        "wait_text": (wait.text if wait else no_history_text_for(ask)) if waiting else "",
        "answer_due": services.first_answer_due(ask) if ask.state == AskState.OFFERED else None,
        "finding_experts": ask.waits_for_first_round(),
        "is_mentee": is_mentee,
        "is_helper": is_helper,
        "thread_open": thread_open,
        "can": _allowed_steps(ask, is_mentee=is_mentee, is_helper=is_helper),
        "message_form": forms.get("message_form") or MessageForm(),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(),
        "answered_form": forms.get("answered_form") or AnsweredForm(),
        "schedule_form": forms.get("schedule_form")
        or ScheduleForm(initial={"scheduled_for": ask.scheduled_for, "place": ask.scheduled_place}),
        "co_askers_form": forms.get("co_askers_form")
        or CoAskersForm(initial={"co_askers": services.co_askers_on(ask)}),
        "invited": [person for person in services.co_askers_on(ask) if person not in co_askers]
        if is_mentee
        else [],
        "is_co_asker": any(person.pk == viewer.pk for person in co_askers),
    }
    return render(request, "asks/detail.html", context, status=status)


THREAD_SHOWN = 30  # the latest messages of a thread; "Earlier messages" reads back from the first shown


def thread_page(ask: Ask, *, before: str = "") -> tuple[list[Message], Message | None]:
    """The latest ``THREAD_SHOWN`` messages (or those before the message ``before`` names), oldest first,
    and the first message shown when there are earlier ones (its id is the "Earlier messages" link).

    Read newest first from the (ask, created_at, id) index and reversed: a long thread costs one page.
    """
    messages = (
        Message.objects.filter(ask=ask).select_related("author__profile").order_by("-created_at", "-pk")
    )
    before_id = id_from_text(before)
    anchor = Message.objects.filter(ask=ask, pk=before_id).only("created_at").first() if before_id else None
    if anchor is not None:
        messages = messages.filter(
            Q(created_at__lt=anchor.created_at) | Q(created_at=anchor.created_at, pk__lt=anchor.pk)
        )
    rows = list(messages[: THREAD_SHOWN + 1])
    earlier = len(rows) > THREAD_SHOWN
    rows = rows[:THREAD_SHOWN][::-1]
    return rows, (rows[0] if earlier and rows else None)


def _allowed_steps(ask: Ask, *, is_mentee: bool, is_helper: bool) -> dict[str, bool]:
    """Which buttons this viewer sees; the services enforce the same rules again on submit."""
    state = ask.state
    return {
        "publish": is_mentee and state == AskState.DRAFT,
        "edit": is_mentee and ask.is_editable,
        "cancel": is_mentee and can_transition(state, AskState.CANCELLED),
        "reroute": is_mentee and services.declined_directed_offer(ask) is not None,
        "complete": is_mentee and state in services.THREAD_OPEN,
        "follow_up": is_mentee and state == AskState.ANSWERED,
        "answer": is_helper and state == AskState.ACCEPTED,
        "schedule": (is_mentee or is_helper)
        and ask.is_call
        and state in {AskState.ACCEPTED, AskState.SCHEDULED},
        "co_askers": is_mentee and state not in services.FINISHED,
    }


@login_required
@require_GET
def ask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_ask(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def ask_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _own_ask(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if _attempt(
            request,
            lambda: services.cancel_ask(ask=ask, actor=request.user, reason=reason),
            "Your ask is cancelled.",
        ):
            return redirect("asks:detail", pk=ask.pk)
    return render(request, "asks/cancel.html", {"ask": ask, "form": form})


@login_required
@require_POST
def ask_publish(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _own_ask(request, pk)
    _attempt(
        request,
        lambda: services.publish_ask(ask=ask, actor=request.user),
        PUBLISHED,
    )
    return redirect("asks:detail", pk=ask.pk)


@login_required
@require_POST
def ask_reroute(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _own_ask(request, pk)
    _attempt(
        request,
        lambda: services.reroute_declined_directed(ask=ask, actor=request.user),
        "We are finding other experts for your ask.",
    )
    return redirect("asks:detail", pk=ask.pk)


@login_required
@require_POST
def ask_complete(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _visible_ask(request, pk)
    _attempt(
        request,
        lambda: services.confirm_helped(ask=ask, actor=request.user),
        "Glad it helped! The ask is completed.",
    )
    return redirect("asks:detail", pk=ask.pk)


def _form_step(
    request: HttpRequest, ask: Ask, form, form_name: str, step: Callable[[dict], object], success: str
) -> HttpResponse:
    """A step with a form: bad input re-renders the ask with the error next to the field and the text kept."""
    status = 400
    if form.is_valid():
        try:
            step(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            status = 429 if is_rate_limited(error) else 400
        except (AskConflict, PermissionDenied) as error:
            messages.error(request, str(error))
            return redirect("asks:detail", pk=ask.pk)
        else:
            messages.success(request, success)
            return redirect("asks:detail", pk=ask.pk)
    return _render_detail(request, ask, status=status, **{form_name: form})


@login_required
@require_POST
def ask_message(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _visible_ask(request, pk)
    return _form_step(
        request,
        ask,
        MessageForm(request.POST),
        "message_form",
        lambda data: services.post_message(ask=ask, author=request.user, body=data["body"]),
        "Message sent.",
    )


@login_required
@require_POST
def ask_answered(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _visible_ask(request, pk)
    return _form_step(
        request,
        ask,
        AnsweredForm(request.POST),
        "answered_form",
        lambda data: services.mark_answered(ask=ask, actor=request.user, body=data["body"]),
        "Marked as answered. We asked the mentee to confirm it helped.",
    )


@login_required
@require_POST
def ask_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _visible_ask(request, pk)
    return _form_step(
        request,
        ask,
        FollowUpForm(request.POST),
        "follow_up_form",
        lambda data: services.ask_follow_up(ask=ask, actor=request.user, body=data["body"]),
        "Your follow-up question is in the thread.",
    )


@login_required
@require_POST
def ask_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _visible_ask(request, pk)
    return _form_step(
        request,
        ask,
        ScheduleForm(request.POST),
        "schedule_form",
        lambda data: services.record_agreed_time(
            ask=ask, actor=request.user, scheduled_for=data["scheduled_for"], place=data["place"]
        ),
        "The agreed time is recorded.",
    )


@login_required
@require_POST
def ask_co_askers(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _own_ask(request, pk)
    return _form_step(
        request,
        ask,
        CoAskersForm(request.POST),
        "co_askers_form",
        lambda data: services.set_co_askers(ask=ask, actor=request.user, co_askers=data["co_askers"]),
        "Co-askers updated.",
    )


# --- Co-asker invitations ------------------------------------------------------------------------------


@login_required
@require_GET
def ask_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """What a person asked to co-ask may see before answering: the title and who asked. Nothing else."""
    if Ask.objects.involving(request.user).filter(pk=pk).exists():
        return redirect("asks:detail", pk=pk)
    invitation = services.pending_invitation(ask_id=pk, user=request.user)
    if invitation is None:
        raise Http404
    return render(request, "asks/invitation.html", {"invitation": invitation, "ask": invitation.ask})


@login_required
@require_POST
def ask_invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = services.pending_invitation(ask_id=pk, user=request.user)
    if invitation is None:
        raise Http404
    answer = request.POST.get("answer")
    if answer == "accept":
        if _attempt(
            request,
            lambda: services.accept_co_asker_invitation(ask=invitation.ask, invitee=request.user),
            "You are a co-asker now.",
        ):
            return redirect("asks:detail", pk=pk)
        return redirect("asks:invitation", pk=pk)
    if answer == "decline":
        _attempt(
            request,
            lambda: services.decline_co_asker_invitation(ask=invitation.ask, invitee=request.user),
            "You declined; you will not be asked again for this ask.",
        )
        return redirect("asks:list")
    messages.error(request, "Choose to accept or to decline.")
    return render(
        request, "asks/invitation.html", {"invitation": invitation, "ask": invitation.ask}, status=400
    )


@login_required
@require_POST
def ask_leave(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _visible_ask(request, pk)
    if _attempt(request, lambda: services.leave_ask(ask=ask, user=request.user), "You left the ask."):
        return redirect("asks:list")
    return redirect("asks:detail", pk=pk)
