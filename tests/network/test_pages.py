"""The organiser pages, CSV downloads and API of the helper network: access, k-anonymity, opt-in naming,
the same figures everywhere, and a bounded number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.directory.programmes.models import MembershipRole, Programme
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.organisers.network.demo import opt_in_demo_people
from openhelp.organisers.network.knowledge import compute_snapshot
from openhelp.organisers.network.models import KnowledgeNodeConsent, KnowledgeSnapshot
from openhelp.organisers.network.rollup import rebuild_help_links
from tests.factories import make_access_token
from tests.harness.access import Row, assert_access_matrix
from tests.harness.outbox import deliver_events
from tests.harness.queries import count_queries
from tests.harness.tasks import run_pending_tasks
from tests.network.conftest import START, held, join, people_in

JANUARY = dt.datetime(2025, 1, 15, 10, 0, tzinfo=dt.UTC)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(owner, outsider, organiser, anonymous_client):
    """Data (6 people) and Design (5) are shown; Ops (2) and the three people without a team make "Other"."""
    data = people_in("Data", 6, prefix="Data")
    design = people_in("Design", 5, prefix="Design")
    ops = people_in("Ops", 2, prefix="Ops")
    held(data[0], design[0], n=3)
    held(data[0], design[1], n=4, when=JANUARY)
    held(design[1], data[1], n=2)
    held(ops[0], data[2])
    held(data[3], ops[1])
    rebuild_help_links()
    compute_snapshot()
    return SimpleNamespace(
        data=data,
        design=design,
        ops=ops,
        owner=owner,
        organiser=organiser,
        clients={
            "anonymous": anonymous_client,
            "owner": client_for(owner),
            "outsider": client_for(outsider),
            "organiser": client_for(organiser),
        },
    )


def name(user) -> str:
    user.profile.refresh_from_db()
    return user.profile.display_name


ORGANISER_ONLY = {"anonymous": 302, "owner": 404, "outsider": 404, "organiser": 200}
API_ORGANISER_ONLY = {"anonymous": 401, "owner": 404, "outsider": 404, "organiser": 200}
ACCESS = [
    Row("GET", lambda w: reverse("network:flow"), ORGANISER_ONLY),
    Row("GET", lambda w: reverse("network:flow-csv"), ORGANISER_ONLY),
    Row("GET", lambda w: reverse("network:knowledge-nodes"), ORGANISER_ONLY),
    Row("GET", lambda w: reverse("network:knowledge-nodes-csv"), ORGANISER_ONLY),
    Row("POST", lambda w: reverse("network:recompute"), ORGANISER_ONLY | {"organiser": 302}, data={}),
    Row("GET", lambda w: reverse("v1:network-flow"), API_ORGANISER_ONLY),
    Row("GET", lambda w: reverse("v1:network-knowledge-nodes"), API_ORGANISER_ONLY),
    Row("POST", lambda w: reverse("v1:network-recompute"), API_ORGANISER_ONLY | {"organiser": 202}, data={}),
    Row("GET", lambda w: reverse("network:my-name"), {"anonymous": 302, "owner": 200, "organiser": 200}),
    Row("GET", lambda w: reverse("v1:network-consent"), {"anonymous": 401, "owner": 200}),
]


def test_it_enforces_the_access_matrix(world):
    assert_access_matrix(ACCESS, world)


def test_the_flow_merges_small_teams_into_other_on_the_page_csv_and_api(world):
    client = world.clients["organiser"]
    api = client.get(reverse("v1:network-flow")).json()
    assert api["teams"] == ["Data", "Design", "Other"]
    assert [row["cells"] for row in api["rows"]] == [[0, 7, 1], [2, 0, 0], [1, 0, 0]]
    assert api["total"] == 11 and api["hidden"] is False

    page = client.get(reverse("network:flow")).content.decode()
    assert "Ops" not in page  # a team of two is never shown by name
    assert '<th scope="row">Data</th><td>0</td><td>7</td><td>1</td><td>8</td>' in page
    assert "<svg" in page and "<table" in page
    # Nothing loaded from a CDN (an address, not any text: a CSRF token once held "cdn").
    assert not re.search(r"""(?:src|href)=["'][^"']*cdn""", page, re.IGNORECASE)

    response = client.get(reverse("network:flow-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["helper team", "helped team", "sessions"]
    assert ["Data", "Design", "7"] in rows and ["Other", "Data", "1"] in rows
    assert sum(int(r[2]) for r in rows[1:]) == api["total"]


def test_the_flow_filters_by_month_and_team(world):
    client = world.clients["organiser"]
    june = client.get(reverse("v1:network-flow"), {"start": "2025-06", "end": "2025-06"}).json()
    assert june["rows"][0]["cells"] == [0, 3, 1]
    design = client.get(reverse("v1:network-flow"), {"team": "Design"}).json()
    assert design["total"] == 9  # 7 sessions to Design, 2 from it
    csv_june = client.get(
        reverse("network:flow-csv"), {"start": "2025-06", "end": "2025-06"}
    ).content.decode()
    assert "Data,Design,3" in csv_june


def test_the_empty_month_boxes_say_what_empty_means(world):
    # Two empty month boxes on the page: were the figures for this month, this year, or all time?
    html = world.clients["organiser"].get(reverse("network:flow")).content.decode()

    assert "Empty: from the first month." in html and "Empty: up to this month." in html


def test_bad_filters_get_field_errors_and_keep_what_was_typed(world):
    client = world.clients["organiser"]
    response = client.get(reverse("v1:network-flow"), {"start": "2025-07", "end": "2025-01", "team": "Ops"})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"end", "team"}
    page = client.get(reverse("network:flow"), {"start": "June", "team": "Ops"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="June"' in html and 'value="Ops"' in html and "errorlist" in html


def test_only_people_who_opted_in_are_named(world):
    client = world.clients["organiser"]
    star, other = world.data[0], world.design[1]
    opt_in_demo_people([star])
    body = client.get(reverse("v1:network-knowledge-nodes")).json()
    named = [node["name"] for node in body["relied_on"]["named"]]
    assert named == [name(star)]
    assert body["relied_on"]["named"][0]["reliance"] == 2
    assert body["relied_on"]["named"][0]["teams_helped"] == 1
    assert body["relied_on"]["not_named"] == 3  # design[1], ops[0] and data[3] helped someone too
    page = client.get(reverse("network:knowledge-nodes")).content.decode()
    assert name(star) in page and name(other) not in page
    assert "3 more people in this list have not chosen to be named" in page
    nodes_csv = client.get(reverse("network:knowledge-nodes-csv")).content.decode()
    assert name(star) in nodes_csv and name(other) not in nodes_csv

    # Turning consent off hides the name at once, without a recompute.
    star_client = client_for(star)
    star_client.post(reverse("network:my-name"), {})
    assert KnowledgeNodeConsent.objects.get(user=star).named is False
    assert name(star) not in client.get(reverse("network:knowledge-nodes")).content.decode()


def test_a_person_chooses_to_be_named_on_the_page_and_in_the_api(world):
    owner_client = world.clients["owner"]
    page = owner_client.get(reverse("network:my-name")).content.decode()
    assert "Show my name when the organisers" in page and "checked" not in page
    owner_client.post(reverse("network:my-name"), {"named": "on"})
    assert KnowledgeNodeConsent.objects.get(user=world.owner).named is True
    _, key = make_access_token(world.owner)
    api = Client(headers={"Authorization": f"Bearer {key}"})
    response = api.put(reverse("v1:network-consent"), {"named": False}, content_type="application/json")
    assert response.status_code == 200 and response.json()["named"] is False
    assert api.put(reverse("v1:network-consent"), {}, content_type="application/json").status_code == 400


def test_the_recompute_button_queues_a_fresh_snapshot(world, commit):
    first = KnowledgeSnapshot.objects.get()
    with commit():
        world.clients["organiser"].post(reverse("network:recompute"))
    run_pending_tasks()
    latest = KnowledgeSnapshot.objects.get()
    assert latest.pk != first.pk and latest.people == 8
    page = world.clients["organiser"].get(reverse("network:knowledge-nodes")).content.decode()
    assert "Betweenness is exact" in page and "Computed" in page


def test_a_programme_organiser_sees_only_their_programme(world, commit):
    programme = Programme.objects.create(name="Guild", slug="guild")
    lead = world.data[5]
    with commit():  # the memberships reach the cross-team flow through their events in the outbox
        join(programme, lead, role=MembershipRole.ORGANISER)
        for user in [*world.data[:5], *world.design]:
            join(programme, user)
    deliver_events()
    client = client_for(lead)
    body = client.get(reverse("v1:network-flow")).json()
    # Inside the programme: Data 6, Design 5; only their sessions with each other count.
    assert body["teams"] == ["Data", "Design"] and body["total"] == 9
    assert client.get(reverse("network:flow")).status_code == 200
    assert client.post(reverse("network:recompute")).status_code == 404
    other = Programme.objects.create(name="Elsewhere", slug="elsewhere")
    assert client.get(reverse("v1:network-flow"), {"programme": other.slug}).status_code == 400
    everyone = world.clients["organiser"].get(reverse("v1:network-flow"), {"programme": "guild"}).json()
    assert everyone == body


def test_a_population_under_five_shows_nothing(world, commit):
    programme = Programme.objects.create(name="Tiny", slug="tiny")
    with commit():
        for user in world.data[:3]:
            join(programme, user)
    deliver_events()
    body = world.clients["organiser"].get(reverse("v1:network-flow"), {"programme": "tiny"}).json()
    assert body["hidden"] is True and body["teams"] == [] and body["total"] == 0


def _grow(sessions: int) -> None:
    mentors = people_in("Grow mentors", 10)
    mentees = people_in("Grow mentees", 10)
    Session.objects.bulk_create(
        Session(
            mentor=mentors[i % 10],
            mentee=mentees[(i * 7) % 10],
            title="Bulk",
            state=SessionState.COMPLETED,
            completed_at=START - dt.timedelta(days=i),
        )
        for i in range(sessions)
    )
    opt_in_demo_people(mentors[:5])
    rebuild_help_links()
    compute_snapshot()


@pytest.mark.parametrize(
    "url",
    [
        "network:flow",
        "network:knowledge-nodes",
        "network:flow-csv",
        "v1:network-flow",
        "v1:network-knowledge-nodes",
    ],
)
def test_pages_cost_the_same_queries_at_10_and_200_sessions(organiser, url):
    client = client_for(organiser)
    _grow(10)
    small = count_queries(lambda: client.get(reverse(url)))
    _grow(190)
    large = count_queries(lambda: client.get(reverse(url)))
    assert small == large, f"{small} queries at 10 sessions but {large} at 200"
    assert large <= 12
