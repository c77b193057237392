"""The release applied where figures are produced: ``figures.report`` (behind the page, the API and the
CSVs) and the helper network's team groups, for random organisations stored in the database."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openhelp.directory.people.models import Profile, Team
from openhelp.directory.programmes.models import Membership, Programme
from openhelp.organisers.insights import rollup
from openhelp.organisers.insights.figures import Filters, report
from openhelp.organisers.insights.privacy import MIN_GROUP_SIZE
from openhelp.organisers.network.scope import team_groups
from openhelp.platform.accounts.models import User
from tests.insights.conftest import END, START
from tests.insights.test_release_properties import atoms

pytestmark = pytest.mark.django_db

TEAMS = ("Alpha", "Beta", "Gamma", None)
SECTIONS = {"skills", "speed", "participation", "teams", "load"}
_batch = itertools.count()


class Rollback(Exception):
    pass


def build(people: list[tuple[str | None, frozenset[int]]]):
    """Accounts with profiles in teams, and their programme memberships (programmes 1–3, by age)."""
    batch = next(_batch)
    teams = {name: Team.objects.create(name=name, slug=f"{name.lower()}-{batch}") for name in TEAMS if name}
    programmes = {n: Programme.objects.create(name=f"P{n}", slug=f"p{n}-{batch}") for n in (1, 2, 3)}
    users = User.objects.bulk_create(
        [User(email=f"r{batch}-{i}@example.org", password="!") for i in range(len(people))]  # noqa: S106
    )
    Profile.objects.bulk_create(
        [
            Profile(user=u, display_name=f"R{i}", team=teams.get(team) if team else None)
            for i, (u, (team, _)) in enumerate(zip(users, people, strict=True))
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(programme=programmes[p], user=u)
            for u, (_, theirs) in zip(users, people, strict=True)
            for p in theirs
        ]
    )
    return users, teams, programmes


person = st.tuples(st.sampled_from(TEAMS), st.frozensets(st.sampled_from((1, 2, 3)), max_size=2))
# People come in clumps of the same team and programmes, as in a real organisation, so that many
# selections are large enough to be shown and the differences between them are what is tested.
clumps = st.lists(st.tuples(person, st.integers(1, 8)), max_size=8).map(
    lambda groups: [who for who, n in groups for _ in range(n)]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=clumps)
def test_every_report_covers_k_people_and_no_difference_of_reports_covers_fewer(organiser, people):
    try:
        with transaction.atomic():
            users, teams, programmes = build(people)
            everyone = {u.pk for u in User.objects.all()}  # the organiser too
            team_of = dict(Profile.objects.values_list("user_id", "team__name"))
            # Read once: asking the database for each person and programme was a third of this test's CPU.
            memberships = set(Membership.objects.values_list("programme_id", "user_id"))
            shown: list[frozenset[int]] = []
            for programme, team in itertools.product([None, *programmes.values()], [None, *teams.values()]):
                figures = report(
                    Filters(
                        START,
                        END,
                        team_id=team.pk if team else None,
                        programme_id=programme.pk if programme else None,
                    )
                )
                selected = {
                    pk
                    for pk in everyone
                    if (team is None or team_of.get(pk) == team.name)
                    and (programme is None or (programme.pk, pk) in memberships)
                }
                if figures["hidden"]:
                    assert figures["people"] is None and not SECTIONS & set(figures)
                    continue
                assert figures["people"] == len(selected) >= MIN_GROUP_SIZE
                shown.append(frozenset(selected))
                for row in figures["teams"]:
                    assert row["people"] >= MIN_GROUP_SIZE
                network = team_groups(programme)
                assert not all(label is None for label in network.mapping.values())
            index = {pk: i for i, pk in enumerate(sorted(everyone))}
            assert all(
                n >= MIN_GROUP_SIZE
                for n in atoms([frozenset(index[pk] for pk in s) for s in shown], len(everyone)).values()
            )
            # The helper network shows a programme exactly when insights does.
            for programme in programmes.values():
                hidden_here = report(Filters(START, END, programme_id=programme.pk))["hidden"] is not None
                mapping = team_groups(programme).mapping
                assert hidden_here == (not mapping or all(label is None for label in mapping.values()))
            raise Rollback
    except Rollback:
        pass


def test_a_small_programme_is_hidden_on_the_page_the_api_and_every_csv(org, organiser_client):
    """The reported case end to end: a programme of two people (one of them with eight moments)."""
    from tests.factories_moments import MomentFactory
    from tests.insights.conftest import at

    pair = Programme.objects.create(name="Pair", slug="pair")
    ed, mia = org["mentees"][0], org["mia"]
    for user in (ed, mia):
        Membership.objects.create(programme=pair, user=user)
    for day in range(6, 12):
        MomentFactory(author=ed, created_at=at(day))
    rollup.rebuild()
    query = f"?start={START}&end={END}&programme={pair.pk}"
    page = organiser_client.get("/insights/" + query).content.decode()
    assert "fewer than 5 people" in page and "Moments logged" not in page
    api = organiser_client.get("/api/v1/insights/" + query).json()
    assert api["people"] is None and "participation" not in api
    for name in ("participation", "teams", "skills"):
        assert organiser_client.get(f"/insights/{name}.csv" + query).status_code == 404
    # The network's views of the same programme are hidden too.
    flow = organiser_client.get(f"/api/v1/insights/network/flow/?programme={pair.slug}").json()
    assert flow["hidden"] is True and flow["total"] == 0 and "fewer than 5 people" in flow["reason"]
    nodes = organiser_client.get(f"/api/v1/insights/network/knowledge-nodes/?programme={pair.slug}").json()
    assert nodes["relied_on"] == nodes["bridges"] == {"named": [], "not_named": 0}
    page = organiser_client.get(f"/insights/network/?programme={pair.slug}").content.decode()
    assert "fewer than 5 people" in page


def test_insights_csv_keeps_empty_cells_empty(org, organiser_client):
    """Item 14: an empty cell (no figure) is written empty, not as a lone quote."""
    rollup.rebuild()
    body = organiser_client.get(f"/insights/speed.csv?start={START}&end={END}").content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert "'" not in body.replace("'s", "")
    week_without_asks = next(row for row in rows if row[0] == "2026-03-23")
    assert week_without_asks[1:5] == ["", "", "", ""]


def test_the_csv_guard_quotes_formulas_only():
    from openhelp.platform.lib.spreadsheet import safe_cell

    assert [safe_cell(v) for v in ("", "Team A", "=1+1", "+x", "-3", "@a", "'=x", 0, None, 1.5)] == [
        "",
        "Team A",
        "'=1+1",
        "'+x",
        "'-3",
        "'@a",
        "''=x",
        0,
        None,
        1.5,
    ]
