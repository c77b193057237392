"""The SCIM 2.0 endpoints under /scim/v2/ (RFC 7644): Users and Groups, each behind a bearer token.

Plain Django views rather than DRF: SCIM has its own content type, error body and list shape, and none of
the REST API's conventions apply. Thin as the rest: read, call a workflow, answer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from openhelp.directory.people.models import Profile, Team
from openhelp.organisers.provisioning import discovery, filters, resources, services, tokens
from openhelp.organisers.provisioning.patch import apply_patch
from openhelp.organisers.provisioning.scim import (
    ScimError,
    base_url,
    error_response,
    list_response,
    page_window,
    project,
    read_body,
    respond,
)
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.numbers import id_from_text

View = Callable[..., HttpResponse]


def scim_endpoint(*methods: str) -> Callable[[View], View]:
    """Token first, then the method; any ScimError becomes the RFC 7644 §3.12 error body."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                tokens.authenticate(request)
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not supported here.")
                return view(request, *args, **kwargs)
            except ScimError as error:
                return error_response(error)

        return wrapper

    return decorate


# --- Users ------------------------------------------------------------------------------------------


def _people():
    """Everyone, except people the directory DELETEd (kept, with their history, but gone for SCIM)."""
    return resources.user_queryset().filter(Q(scim__isnull=True) | Q(scim__deleted_at__isnull=True))


def _person(resource_id: str) -> User:
    user = _people().filter(pk=user_id).first() if (user_id := id_from_text(resource_id)) else None
    if user is None:
        raise ScimError(404, f"User {resource_id} not found.")
    return user


@scim_endpoint("GET", "POST")
def users(request: HttpRequest) -> HttpResponse:
    base = base_url(request)
    if request.method == "POST":
        user, created = services.provision_person(data=resources.parse_user(read_body(request)))
        body = resources.user_resource(_person(str(user.pk)), base=base)
        return respond(body, status=201, location=body["meta"]["location"])
    people = _people()
    if request.GET.get("filter"):
        people = people.filter(
            filters.to_q(filters.parse(request.GET["filter"]), filters.USER_FIELDS)
        ).distinct()
    start, count = page_window(request)
    page = list(people[start - 1 : start - 1 + count]) if count else []
    found = [project(resources.user_resource(user, base=base), request) for user in page]
    return respond(list_response(found, total=people.count(), start=start))


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def user(request: HttpRequest, resource_id: str) -> HttpResponse:
    person, base = _person(resource_id), base_url(request)
    if request.method == "DELETE":
        services.deactivate_person(user=person, delete=True)
        return respond(None, status=204)
    if request.method == "PUT":
        services.update_person(user=person, data=resources.parse_user(read_body(request)))
    elif request.method == "PATCH":
        current = resources.user_resource(person, base=base)
        document = apply_patch(current, read_body(request))
        data = resources.parse_user(document, before=resources.parse_user(current))
        services.update_person(user=person, data=data)
    return respond(project(resources.user_resource(_person(resource_id), base=base), request))


# --- Groups -----------------------------------------------------------------------------------------


def _team(resource_id: str) -> Team:
    team = (
        resources.team_queryset().filter(pk=team_id).first()
        if (team_id := id_from_text(resource_id))
        else None
    )
    if team is None:
        raise ScimError(404, f"Group {resource_id} not found.")
    return team


def _members_of(team_ids: list[int]) -> dict[int | None, list[Profile]]:
    members: dict[int | None, list[Profile]] = defaultdict(list)
    profiles = (
        Profile.objects.filter(team_id__in=team_ids)
        .filter(Q(user__scim__isnull=True) | Q(user__scim__deleted_at__isnull=True))
        .order_by("user_id")
    )
    for profile in profiles:
        members[profile.team_id].append(profile)
    return members


def _wants_members(request: HttpRequest) -> bool:
    excluded = request.GET.get("excludedAttributes", "").lower()
    wanted = request.GET.get("attributes", "").lower()
    return "members" not in excluded and (not wanted or "members" in wanted)


def _group_body(request: HttpRequest, team: Team) -> dict[str, Any]:
    members = _members_of([team.pk])[team.pk] if _wants_members(request) else None
    return project(resources.group_resource(team, base=base_url(request), members=members), request)


@scim_endpoint("GET", "POST")
def groups(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        team = services.provision_team(data=resources.parse_group(read_body(request)))
        body = resources.group_resource(
            _team(str(team.pk)), base=base_url(request), members=_members_of([team.pk])[team.pk]
        )
        return respond(body, status=201, location=body["meta"]["location"])
    teams = resources.team_queryset()
    if request.GET.get("filter"):
        condition = filters.to_q(filters.parse(request.GET["filter"]), filters.GROUP_FIELDS)
        teams = teams.filter(pk__in=Team.objects.filter(condition).values("pk"))
    start, count = page_window(request)
    page = list(teams[start - 1 : start - 1 + count]) if count else []
    members = _members_of([team.pk for team in page]) if _wants_members(request) else None
    base = base_url(request)
    found = [
        project(
            resources.group_resource(t, base=base, members=None if members is None else members[t.pk]),
            request,
        )
        for t in page
    ]
    return respond(list_response(found, total=teams.count(), start=start))


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def group(request: HttpRequest, resource_id: str) -> HttpResponse:
    team = _team(resource_id)
    if request.method == "DELETE":
        services.delete_team(team=team)
        return respond(None, status=204)
    if request.method == "PUT":
        services.update_team(team=team, data=resources.parse_group(read_body(request)))
    elif request.method == "PATCH":
        current = resources.group_resource(
            team, base=base_url(request), members=_members_of([team.pk])[team.pk]
        )
        document = apply_patch(current, read_body(request))
        services.update_team(team=team, data=resources.parse_group(document))
        # RFC 7644 §3.5.2 allows 204; Entra ID and Okta both expect it for groups, and a large team's
        # member list is not sent back for every membership change.
        return respond(None, status=204)
    return respond(_group_body(request, _team(resource_id)))


# --- Discovery (RFC 7644 §4) -----------------------------------------------------------------------


@scim_endpoint("GET")
def service_provider_config(request: HttpRequest) -> HttpResponse:
    return respond(discovery.service_provider_config(base_url(request)))


@scim_endpoint("GET")
def resource_types(request: HttpRequest, name: str | None = None) -> HttpResponse:
    found = discovery.resource_types(base_url(request))
    if name is None:
        return respond(list_response(found, total=len(found), start=1))
    match = next((item for item in found if item["id"] == name), None)
    if match is None:
        raise ScimError(404, f"Resource type {name} not found.")
    return respond(match)


@scim_endpoint("GET")
def schemas(request: HttpRequest, urn: str | None = None) -> HttpResponse:
    found = discovery.schemas(base_url(request))
    if urn is None:
        return respond(list_response(found, total=len(found), start=1))
    match = next((item for item in found if item["id"] == urn), None)
    if match is None:
        raise ScimError(404, f"Schema {urn} not found.")
    return respond(match)
