"""What the demo organiser sees: a programme, named knowledge nodes, and figures computed from the history.

Runs after the history is written. The history is saved in bulk (no model signals), so the roll-ups that
signals normally keep current are built here from scratch, exactly as their rebuild commands do.
"""

from __future__ import annotations

import random

from openhelp.demo import data
from openhelp.directory.programmes.models import Membership, MembershipRole
from openhelp.directory.programmes.services import create_programme
from openhelp.directory.skills.models import Skill
from openhelp.organisers.insights.rollup import rebuild as rebuild_insights
from openhelp.organisers.network.demo import opt_in_demo_people
from openhelp.organisers.network.knowledge import compute_snapshot
from openhelp.organisers.network.rollup import rebuild_help_links
from openhelp.platform.accounts.models import User

PROGRAMME_MEMBERS = 80
# Share of the other people who helped someone and chose to be named among knowledge nodes: enough for a
# believable list, few enough that the page also shows people counted but not named.
OTHERS_NAMED = 0.5
# In a large organisation, at most this many of them (each consent goes through the network service);
# the small demo never reaches it.
MAX_OTHERS_NAMED = 500


def prepare_for_organisers(*, summary, seed: int) -> None:
    rng = random.Random(f"{seed}-organisers")
    organiser = User.objects.get(email=data.ORGANISER_EMAIL)
    _seed_programme(organiser, gap_skills=summary.gap_skills, rng=rng)
    rebuild_help_links()
    named = set(summary.hubs) | set(summary.knowledge_nodes) | {data.MENTOR_EMAIL}
    helpers = sorted(
        User.objects.filter(sessions_as_mentor__isnull=False)
        .exclude(email__in=named)
        .values_list("email", flat=True)
        .distinct()
    )
    named |= set(sorted(email for email in helpers if rng.random() < OTHERS_NAMED)[:MAX_OTHERS_NAMED])
    opt_in_demo_people(User.objects.filter(email__in=sorted(named)).order_by("pk"))
    compute_snapshot()
    rebuild_insights()


def _seed_programme(organiser, *, gap_skills: list[str], rng: random.Random) -> None:
    focus = list(Skill.objects.filter(name__in=gap_skills).order_by("name"))
    programme = create_programme(
        actor=organiser,
        name="Data & Platform guild",
        description=(
            "Short, focused help on data and platform skills across teams. Ask within the guild and its "
            "members answer first; office hours run every week."
        ),
        focus_skills=focus,
        code_of_conduct=(
            "Be kind and specific. What you hear in a session stays there. Decline freely — it is always "
            "fine to say no. Share takeaways only with both people's consent."
        ),
        allowed_email_domain=data.DEMO_DOMAIN,
    )
    people = list(User.objects.exclude(pk=organiser.pk).order_by("pk").values_list("pk", flat=True))
    chosen = sorted(rng.sample(people, min(PROGRAMME_MEMBERS, len(people))))
    for email in (data.MENTEE_EMAIL, data.MENTOR_EMAIL):
        pk = User.objects.get(email=email).pk
        if pk not in chosen:
            chosen.append(pk)
    Membership.objects.bulk_create(
        Membership(
            programme=programme,
            user_id=pk,
            role=MembershipRole.MEMBER,
            joined_at=programme.created_at,
            accepted_code_of_conduct_at=programme.created_at,
        )
        for pk in chosen
    )
