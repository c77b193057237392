"""The demo organiser's view: a programme, named knowledge nodes, people counted but not named."""

from __future__ import annotations

import datetime as dt

import pytest

from openhelp.demo import data
from openhelp.demo.services import seed_demo
from openhelp.directory.programmes.models import Membership, MembershipRole, Programme
from openhelp.organisers.network.models import HelpLink, KnowledgeNode, KnowledgeNodeConsent
from openhelp.platform.accounts.models import User

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 18)


def test_the_organiser_runs_a_programme_and_sees_named_knowledge_nodes():
    summary = seed_demo(people=300, seed=42, today=TODAY)
    activity = summary.activity

    programme = Programme.objects.get()
    organiser = User.objects.get(email=data.ORGANISER_EMAIL)
    assert Membership.objects.get(programme=programme, user=organiser).role == MembershipRole.ORGANISER
    assert set(programme.focus_skills.values_list("name", flat=True)) == set(activity.gap_skills)
    assert Membership.objects.filter(programme=programme).count() > 50

    assert HelpLink.objects.exists(), "the help-link roll-up is built from the bulk-saved history"
    nodes = KnowledgeNode.objects.all()
    assert nodes.exists()
    named = set(KnowledgeNodeConsent.objects.filter(named=True).values_list("user__email", flat=True))
    assert set(activity.knowledge_nodes) <= named and set(activity.hubs) <= named
    helpers = set(nodes.values_list("user__email", flat=True))
    assert helpers - named, "some helpers are counted but not named"
    top_brokers = list(nodes.order_by("-brokerage").values_list("user__email", flat=True)[:10])
    assert set(top_brokers) & set(activity.knowledge_nodes), "the seeded connectors stand out as brokers"
