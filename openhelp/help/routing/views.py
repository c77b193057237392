"""The mentor's inbox (offers, capacity, pause) and the mentee's suggestions for a directed ask."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from openhelp.directory.people.capacity import capacity_for
from openhelp.directory.people.services import profile_for
from openhelp.directory.skills.models import Skill
from openhelp.help.asks.models import Ask
from openhelp.help.routing import display, policy, services
from openhelp.help.routing.candidates import rank_candidates
from openhelp.help.routing.forms import DeclineForm, PauseForm
from openhelp.help.routing.models import Offer, OfferState
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.markdown import render_markdown

PAST_PER_PAGE = 20


def _offers_of(user):
    """This mentor's offers with what their cards show: the ask, its mentee's name and its skills' names."""
    return (
        Offer.objects.filter(mentor=user)
        .select_related("ask__mentee__profile")
        .prefetch_related(Prefetch("ask__skills", queryset=Skill.objects.only("name")))
    )


def _own_offer(request: HttpRequest, pk: int) -> Offer:
    """Someone else's offer answers 404 exactly like a missing one, so its existence does not leak."""
    return get_object_or_404(_offers_of(request.user), pk=pk)


def _render_inbox(
    request: HttpRequest,
    *,
    pause_form: PauseForm | None = None,
    decline_forms: dict[int, DeclineForm] | None = None,
) -> HttpResponse:
    moment = now()
    waiting = Q(state=OfferState.PENDING, expires_at__gt=moment)
    pending = list(_offers_of(request.user).filter(waiting).order_by("expires_at", "pk"))
    past = Paginator(_offers_of(request.user).exclude(waiting).order_by("-created_at", "-pk"), PAST_PER_PAGE)
    decline_forms = decline_forms or {}
    # Usually loaded already, by the time-zone middleware (the user's reverse one-to-one is cached).
    profile = getattr(request.user, "profile", None) or profile_for(request.user)
    capacity = capacity_for(profile)
    for offer in pending:
        offer.is_open = True
        offer.decline_form = decline_forms.get(offer.pk) or DeclineForm(offer_id=offer.pk)
        offer.why_you = display.reasons_for(offer.reasons, capacity=capacity, is_open=True)
    context = {
        "pending": pending,
        "past": past.get_page(request.GET.get("page")),
        "profile": profile,
        "capacity": capacity,
        "capacity_sentence": display.capacity_sentence(capacity),
        "paused": profile.is_paused(),
        "pause_form": pause_form or PauseForm(),
    }
    return render(request, "routing/inbox.html", context)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return _render_inbox(request)


@login_required
@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _own_offer(request, pk)
    return _render_offer(request, offer, DeclineForm(offer_id=offer.pk))


def _render_offer(request: HttpRequest, offer: Offer, form: DeclineForm) -> HttpResponse:
    offer.decline_form = form
    offer.is_open = offer.state == OfferState.PENDING and offer.expires_at > now()
    capacity = capacity_for(profile_for(request.user)) if offer.is_open else None
    offer.why_you = display.reasons_for(offer.reasons, capacity=capacity, is_open=offer.is_open)
    context = {"offer": offer, "context_html": render_markdown(offer.ask.context)}
    return render(request, "routing/offer.html", context)


def _after_accept_url(offer: Offer) -> str:
    try:
        return reverse("asks:detail", args=[offer.ask_id])
    except NoReverseMatch:
        return reverse("routing:inbox")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _own_offer(request, pk)
    try:
        services.accept_offer(offer=offer, mentor=request.user)
    except services.RoutingConflict as conflict:
        if request.htmx:
            return _answered_card(request, offer, notice=str(conflict))
        messages.warning(request, str(conflict))
        return redirect("routing:inbox")
    if request.htmx:
        return _answered_card(request, offer)
    messages.success(request, f"You are helping with “{offer.ask.title}”. Say hello and agree a time.")
    return redirect(_after_accept_url(offer))


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _own_offer(request, pk)
    form = DeclineForm(request.POST, offer_id=offer.pk)
    if form.is_valid():
        try:
            services.decline_offer(
                offer=offer,
                mentor=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except services.RoutingConflict as conflict:
            if request.htmx:
                return _answered_card(request, offer, notice=str(conflict))
            messages.warning(request, str(conflict))
            return redirect("routing:inbox")
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            if request.htmx:
                return _answered_card(request, offer)
            messages.success(
                request, f"Declined “{offer.ask.title}”. We are passing it on; thank you for saying so."
            )
            return redirect("routing:inbox")
    if request.htmx:
        # A form error goes back into the card it came from (200: htmx swaps only successful answers).
        offer.decline_form = form
        return render(request, "routing/_offer_compact.html", {"offer": _compact(request, offer)})
    return _render_offer(request, offer, form)


def _answered_card(request: HttpRequest, offer: Offer, *, notice: str = "") -> HttpResponse:
    """The offer's card as it stands now, for htmx to swap in place of the one answered; the
    ``offer-answered`` event lets the page refresh what the answer changed (e.g. "Helping now")."""
    offer = _own_offer(request, offer.pk)
    offer.decline_form = DeclineForm(offer_id=offer.pk)
    context = {"offer": _compact(request, offer), "notice": notice}
    response = render(request, "routing/_offer_compact.html", context)
    return trigger_client_event(response, "offer-answered", {"offer": offer.pk, "state": offer.state})


def _compact(request: HttpRequest, offer: Offer) -> Offer:
    """What routing/_offer_compact.html reads besides the offer: whether it is open and "why you"."""
    offer.is_open = offer.can_accept()
    capacity = capacity_for(profile_for(request.user)) if offer.is_open else None
    offer.why_you = display.reasons_for(offer.reasons, capacity=capacity, is_open=offer.is_open)
    return offer


@login_required
@require_POST
def pause(request: HttpRequest) -> HttpResponse:
    form = PauseForm(request.POST)
    if form.is_valid():
        until = form.cleaned_data["until"]
        try:
            passed_on = services.pause_mentor(mentor=request.user, until=until)
        except ValidationError as error:
            for message in error.message_dict.get("until", error.messages):
                form.add_error("until", message)
        else:
            note = (
                f" {passed_on} waiting offer{'s' if passed_on != 1 else ''} passed on politely."
                if passed_on
                else ""
            )
            messages.success(request, f"Paused until {until:%d %b %Y}: no new offers before then.{note}")
            return redirect("routing:inbox")
    return _render_inbox(request, pause_form=form)


@login_required
@require_POST
def resume(request: HttpRequest) -> HttpResponse:
    services.resume_mentor(mentor=request.user)
    messages.success(request, "Welcome back: you can get offers again.")
    return redirect("routing:inbox")


@login_required
@require_GET
def suggestions(request: HttpRequest, ask_id: int) -> HttpResponse:
    """The best experts for the mentee's ask, with reasons, each one a click away from a directed ask."""
    ask = get_object_or_404(Ask.objects.prefetch_related("skills", "languages"), pk=ask_id)
    if ask.mentee_id != request.user.pk:
        raise Http404
    ranked = rank_candidates(ask, widened=False, limit=policy.setting("SUGGESTIONS_SHOWN"))
    try:
        new_ask_url = reverse("asks:new")
    except NoReverseMatch:
        new_ask_url = ""
    return render(
        request, "routing/suggestions.html", {"ask": ask, "ranked": ranked, "new_ask_url": new_ask_url}
    )
