"""Profile pages: directory, profile, and the three pages where a person edits their own profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from openhelp.directory.people import forms
from openhelp.directory.people.capacity import capacity_for, capacity_left
from openhelp.directory.people.directory import directory_page, matched_offers
from openhelp.directory.people.models import Profile, SkillOffer, SkillWanted
from openhelp.directory.people.services import (
    profile_for,
    replace_skills_wanted,
    update_open_to_help,
    update_profile,
)
from openhelp.platform.lib.numbers import number_from_text
from openhelp.platform.lib.timezones import available_timezones

DIRECTORY_PAGE_SIZE = 25


@login_required
def me(request):
    return redirect("people:detail", pk=profile_for(request.user).pk)


@login_required
def detail(request, pk: int):
    profile = get_object_or_404(
        Profile.objects.filter(user__is_active=True)
        .select_related("team", "user", "manager__profile")  # "Manager" shows their name
        .prefetch_related(
            Prefetch("skills_offered", queryset=SkillOffer.objects.select_related("skill")),
            Prefetch("skills_wanted", queryset=SkillWanted.objects.select_related("skill")),
            "languages",
        ),
        pk=pk,
    )
    return render(
        request,
        "people/detail.html",
        {
            "profile": profile,
            "capacity": capacity_for(profile),
            "is_me": profile.user_id == request.user.pk,
            "has_office_hours": _has_office_hours(profile, viewer=request.user),
        },
    )


def _has_office_hours(profile: Profile, *, viewer) -> bool:
    """Whether this person has office hours the viewer may book (their own, or a programme's they belong to).

    Office hours sit in a layer above people, so they are reached through the user's reverse relation
    (``related_name="office_hours"``, managed by the office hours' own queryset) instead of an import.
    """
    return profile.user.office_hours.open_to(viewer).filter(is_active=True).exists()


@login_required
def directory(request):
    # Usually loaded already, by the time-zone middleware (the user's reverse one-to-one is cached).
    me_profile = getattr(request.user, "profile", None) or profile_for(request.user)
    form = forms.DirectoryFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # a bad value in a hand-edited link drops that filter only, shown with its error
    filters = form.to_filters(tz_reference=me_profile.timezone)
    cursor_error = ""
    try:
        page = directory_page(filters, viewer=request.user, size=DIRECTORY_PAGE_SIZE, **_position(request))
    except ValueError as error:  # a cut or edited page link: the first page, and why
        cursor_error = str(error)
        page = directory_page(filters, viewer=request.user, size=DIRECTORY_PAGE_SIZE)
    capacities = capacity_left(page.people)
    for profile in page.people:
        profile.matched_offers = matched_offers(profile, skill_ids=page.skill_ids, text=filters.q)
    people = [(profile, capacities[profile.pk]) for profile in page.people]
    return render(
        request,
        "people/directory.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "people": people,
            "me_profile": me_profile,
            "cursor_error": cursor_error,
        },
    )


def _position(request) -> dict:
    """Where in the directory this request reads: a cursor (after/before), or an old ?page=n link."""
    return {
        "after": request.GET.get("after", "")[:400],
        "before": request.GET.get("before", "")[:400],
        "page_number": number_from_text(request.GET.get("page"), within=range(1, 100_000)),
    }


@login_required
def edit(request):
    profile = profile_for(request.user)
    form = forms.ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(profile=profile, **form.changes())
        except ValidationError as error:
            forms.service_errors_to_form(error, form)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("people:detail", pk=profile.pk)
    return render(request, "people/edit.html", {"form": form, "timezones": available_timezones()})


@login_required
def open_to_help(request):
    profile = profile_for(request.user)
    form_kwargs = {"user": request.user}
    if request.method != "POST":
        initial = [
            {"skill": offer.skill, "level": offer.level, "note": offer.note}
            for offer in profile.skills_offered.select_related("skill")
        ]
        form = forms.OpenToHelpForm(profile=profile)
        formset = forms.OfferFormSet(initial=initial, prefix="offers", form_kwargs=form_kwargs)
    elif "add_row" in request.POST:
        form = forms.OpenToHelpForm(request.POST, profile=profile)
        formset = forms.OfferFormSet(
            forms.with_added_row(request.POST, "offers"), prefix="offers", form_kwargs=form_kwargs
        )
    else:
        form = forms.OpenToHelpForm(request.POST, profile=profile)
        formset = forms.OfferFormSet(request.POST, prefix="offers", form_kwargs=form_kwargs)
        form_ok = form.is_valid()
        if formset.is_valid() and form_ok:
            rows = formset.rows()
            # Asks reach people only through the skills they list: open to help with none, nothing would
            # ever come, while the page said "You are open to help".
            if form.cleaned_data["open_to_help"] and not rows:
                form.add_error("open_to_help", forms.OPEN_WITHOUT_SKILLS)
            else:
                try:
                    update_open_to_help(profile=profile, **form.cleaned_data, skills_offered=rows)
                except ValidationError as error:
                    forms.service_errors_to_form(error, form)
                else:
                    messages.success(request, _open_to_help_message(profile))
                    return redirect("people:detail", pk=profile.pk)
    return render(request, "people/open_to_help.html", {"form": form, "formset": formset, "profile": profile})


@login_required
def learning(request):
    profile = profile_for(request.user)
    form_kwargs = {"user": request.user}
    errors: list[str] = []
    if request.method != "POST":
        initial = [
            {"skill": row.skill, "note": row.note} for row in profile.skills_wanted.select_related("skill")
        ]
        formset = forms.WantedFormSet(initial=initial, prefix="wanted", form_kwargs=form_kwargs)
    elif "add_row" in request.POST:
        formset = forms.WantedFormSet(
            forms.with_added_row(request.POST, "wanted"), prefix="wanted", form_kwargs=form_kwargs
        )
    else:
        formset = forms.WantedFormSet(request.POST, prefix="wanted", form_kwargs=form_kwargs)
        if formset.is_valid():
            try:
                replace_skills_wanted(profile=profile, skills_wanted=formset.rows())
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, "Saved: the skills you want to learn.")
                return redirect(reverse("people:detail", args=[profile.pk]) + "#learning")
    return render(request, "people/learning.html", {"formset": formset, "errors": errors, "profile": profile})


def _open_to_help_message(profile: Profile) -> str:
    if not profile.open_to_help:
        return "Saved. You are not showing as open to help."
    if profile.is_paused():
        return (
            f"Saved. You are paused until {profile.paused_until.day} {profile.paused_until:%b}; "
            "you are back automatically then."
        )
    return "Saved. You are open to help."
