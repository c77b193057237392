"""A bounded schemathesis run over every API operation, as the demo's people (with their own tokens).

Every operation of the OpenAPI schema gets a few generated requests — valid and invalid bodies and query
strings — through the WSGI app in this process, against a small seeded organisation. Path ids point at
objects the caller really has (their ask, their session …), so the requests reach the views' real work
instead of stopping at a 404. A response must never be a 5xx, and its status, Content-Type, headers and
body must be the schema's.
Deterministic: derandomized generation, a frozen clock and a fixed seed for the organisation.

``make test`` sends 2 generated requests per operation; ``make bench`` runs this file again with 4
(``OTH_PROBE_EXAMPLES=4``), as did every ``make test`` before 2026-12-06: the other two cost 7.5 s of CPU
that the suite's two-minute budget cannot spare (docs/benchmarks.md, "The suite").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os

import pytest
import schemathesis
import time_machine
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.db.models import Q
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from openhelp.community.goals.models import LearningGoal
from openhelp.community.moments.models import Introduction, Moment
from openhelp.community.recognition.models import Endorsement, Kudos
from openhelp.demo.data import MENTEE_EMAIL, MENTOR_EMAIL, ORGANISER_EMAIL
from openhelp.demo.services import seed_demo
from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.people.models import Profile
from openhelp.directory.programmes.models import Programme
from openhelp.directory.skills.models import Skill
from openhelp.help.asks.models import Ask
from openhelp.help.mentoring.models import AgendaStep, Session
from openhelp.help.officehours.models import Booking, OfficeHours, TimeOff, WaitlistEntry
from openhelp.help.routing.models import Offer
from openhelp.platform.accounts.models import User
from openhelp.platform.notifications.models import Notification
from tests.factories import make_access_token
from tests.harness.openapi import openapi_schema

NOW = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)
EXAMPLES = int(os.environ.get("OTH_PROBE_EXAMPLES", "2"))
OFF = {"enabled": False}
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": EXAMPLES, "deterministic": True},
        "phases": {"coverage": OFF, "stateful": OFF},
        "checks": {
            "not_a_server_error": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
            # Every status, Content-Type and documented header is in the schema (api/schema.AutoSchema).
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_headers_conformance": {"enabled": True},
            **{
                name: OFF
                for name in (
                    # Out of scope here: the stateful checks, and methods the schema does not list (405).
                    "negative_data_rejection",
                    "positive_data_acceptance",
                    "use_after_free",
                    "ensure_resource_availability",
                    "ignored_auth",
                    "missing_required_header",
                    "unsupported_method",
                )
            },
        },
    }
)
# Loaded when the test runs, in the one process that runs it (``from_fixture``): building the schema and
# a test for each of its operations while collecting cost about 3.5 s of CPU in every pytest-xdist process;
# each operation is still reported on its own (a subtest each: ``… subtests passed`` counts the operations).
schema = schemathesis.pytest.from_fixture("api_schema")

# Who calls which operations: the organiser runs the organisation, the mentor offers help, the mentee
# (everything else) asks for it.
ORGANISER_PREFIXES = (
    "/api/v1/people/import",
    "/api/v1/people/export",
    "/api/v1/insights",
    "/api/v1/programmes",
    "/api/v1/sessions/organiser",
)
MENTOR_PREFIXES = ("/api/v1/office-hours", "/api/v1/offers", "/api/v1/calendar")

# One test process runs every operation, so the organisation below is seeded once per run, not once in each
# process that draws one of them. The probe asks for its fixtures only when it runs: the other two marks
# tell pytest-django that it needs the database, and set the world up before the test's own transaction (a
# module's fixtures come first), so a service's ``atomic(durable=True)`` sees the test's block innermost.
pytestmark = [
    pytest.mark.xdist_group("schemathesis-probe"),
    pytest.mark.django_db,
    pytest.mark.usefixtures("world"),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The seeded organisation, built once for the module inside a transaction rolled back at the end."""
    with time_machine.travel(NOW, tick=False), django_db_blocker.unblock(), transaction.atomic():
        seed_demo(people=24, seed=11, today=NOW.date())
        people = {
            email: User.objects.get(email=email) for email in (MENTEE_EMAIL, MENTOR_EMAIL, ORGANISER_EMAIL)
        }
        tokens = {email: make_access_token(user)[1] for email, user in people.items()}
        spare_token = {email: make_access_token(user, name="spare")[0].pk for email, user in people.items()}
        yield {"people": people, "tokens": tokens, "spare_token": spare_token}
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def api_schema():
    loaded = schemathesis.openapi.from_dict(openapi_schema(), config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


@contextlib.contextmanager
def rolled_back():
    """Each generated request in a savepoint rolled back after it, with an empty cache (rate limits): the
    operations run one after another in one test, and none may see what another wrote (a deleted ask, a
    cancelled booking). A savepoint, not an ``atomic`` block: a service's ``atomic(durable=True)`` inside
    it must still see the test's block."""
    cache.clear()
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.fixture
def in_process_requests(db):
    """The WSGI handler closes the connection after each request, as a server must; here the test's
    transaction has to survive it (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _caller(path: str) -> str:
    if path.startswith(ORGANISER_PREFIXES):
        return ORGANISER_EMAIL
    if path.startswith(MENTOR_PREFIXES):
        return MENTOR_EMAIL
    return MENTEE_EMAIL


def _first_pk(queryset):
    return queryset.order_by("pk").values_list("pk", flat=True).first()


# For each collection in a path: the caller's own objects of that kind.
OWN_OBJECTS = {
    "asks": lambda user: Ask.objects.filter(mentee=user),
    "bookings": lambda user: Booking.objects.filter(Q(mentee=user) | Q(mentor=user)),
    "endorsements": lambda user: Endorsement.objects.filter(Q(mentee=user) | Q(mentor=user)),
    "goals": lambda user: LearningGoal.objects.filter(owner=user),
    "introductions": lambda user: Introduction.objects.filter(
        Q(introducer=user) | Q(first=user) | Q(second=user)
    ),
    "kudos": lambda user: Kudos.objects.filter(Q(giver=user) | Q(receiver=user)),
    "library": lambda user: LibraryEntry.objects.all(),
    "moments": lambda user: Moment.objects.filter(author=user),
    "offers": lambda user: Offer.objects.filter(mentor=user),
    "office-hours": lambda user: OfficeHours.objects.filter(mentor=user),
    "pauses": lambda user: User.objects.exclude(pk=user.pk),  # an organiser may lift anyone's pause
    "time-off": lambda user: TimeOff.objects.filter(mentor=user),
    "people": lambda user: Profile.objects.filter(user=user),
    "programmes": lambda user: Programme.objects.all(),
    "sessions": lambda user: Session.objects.filter(Q(mentee=user) | Q(mentor=user)),
    "waitlist": lambda user: WaitlistEntry.objects.filter(mentee=user),
    "notifications": lambda user: Notification.objects.filter(recipient=user),
}


def _real_ids(path: str, user: User, world) -> dict:
    """Path parameters naming one of the caller's own objects, where the caller has one."""
    parts = [part for part in path.split("/") if part]
    ids = {}
    for collection, parameter in zip(parts, parts[1:], strict=False):
        name = parameter.strip("{}")
        if not parameter.startswith("{"):
            continue
        if collection in OWN_OBJECTS:
            pk = _first_pk(OWN_OBJECTS[collection](user))
        elif collection == "tokens":
            pk = world["spare_token"][user.email]  # never the token this run signs in with
        elif collection == "skills":
            pk = Skill.objects.order_by("pk").values_list("slug", flat=True).first()
        elif collection == "agenda":
            pk = _first_pk(AgendaStep.objects.filter(session_id=ids.get("id")))
        else:
            pk = None
        if pk is not None:
            ids[name] = pk
    return ids


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, world, in_process_requests):
    email = _caller(case.operation.path)
    user = world["people"][email]
    with time_machine.travel(NOW, tick=False), rolled_back():
        if case.path_parameters:
            case.path_parameters.update(_real_ids(case.operation.path, user, world))
        case.call_and_validate(headers={"Authorization": f"Bearer {world['tokens'][email]}"})


def test_the_probe_reaches_real_objects(world):
    """The run is only worth its time if the ids point at the callers' own objects."""
    with time_machine.travel(NOW, tick=False):
        mentee, mentor = world["people"][MENTEE_EMAIL], world["people"][MENTOR_EMAIL]
        assert "id" in _real_ids("/api/v1/sessions/{id}/agenda/{step_id}/", mentee, world)
        for path in [
            "/api/v1/asks/{id}/",
            "/api/v1/goals/{id}/",
            "/api/v1/moments/{id}/",
            "/api/v1/kudos/{id}/",
        ]:
            assert "id" in _real_ids(path, mentee, world), path
        for path in ["/api/v1/office-hours/{id}/", "/api/v1/offers/{id}/"]:
            assert "id" in _real_ids(path, mentor, world), path
        organiser = world["people"][ORGANISER_EMAIL]
        lift = "/api/v1/sessions/organiser/pauses/{user_id}/lift/"
        assert _caller(lift) == ORGANISER_EMAIL and "user_id" in _real_ids(lift, organiser, world)
        rotate = "/api/v1/programmes/{id}/invite/rotate/"
        organised = Programme.objects.organised_by(organiser)
        assert organised.filter(pk=_real_ids(rotate, organiser, world)["id"]).exists()
