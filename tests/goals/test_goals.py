"""Learning goals: set with skills and a target date; progress per skill from sessions, takeaways and
endorsements; suggestions of mentors and office hours for the skills not yet covered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openhelp.community.goals import services
from openhelp.community.goals.models import LearningGoal
from openhelp.help.mentoring.models import SessionState
from tests.factories import SkillFactory, SkillOfferFactory
from tests.factories_goals import LearningGoalFactory
from tests.factories_library import LibraryEntryFactory, make_entries
from tests.factories_mentoring import DebriefFactory, SessionFactory, make_sessions, past_session, person
from tests.factories_officehours import OfficeHoursFactory
from tests.factories_recognition import EndorsementFactory
from tests.factories_skills import ProposedSkillFactory
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 2)  # in Los Angeles at START


def test_it_sets_a_goal_with_skills_and_a_target_date(learner, skills):
    goal = services.create_goal(
        owner=learner,
        title="  Become a   backend dev ",
        skills=[skills["django"], skills["sql"]],
        target_date=TODAY + dt.timedelta(days=21),
    )
    assert goal.title == "Become a backend dev"
    assert set(goal.skills.values_list("name", flat=True)) == {"Django", "SQL"}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": " "}, "title", "Give the goal a name"),
        ({"skills": []}, "skills", "at least one skill"),
        ({"target_date": TODAY - dt.timedelta(days=1)}, "target_date", "from today on"),
        ({"target_date": TODAY + dt.timedelta(days=1000)}, "target_date", "two years"),
        ({"target_date": None}, "target_date", "Choose a target date"),
    ],
)
def test_it_refuses_bad_goals_with_a_field_error(learner, skills, fields, field, words):
    values = {
        "title": "Pivot",
        "skills": [skills["sql"]],
        "target_date": TODAY + dt.timedelta(days=21),
        **fields,
    }
    with pytest.raises(ValidationError) as error:
        services.create_goal(owner=learner, **values)
    assert words in error.value.message_dict[field][0]


def test_too_many_skills_or_someone_elses_proposal_are_refused(learner, mentor, skills):
    many = [SkillFactory() for _ in range(6)]
    with pytest.raises(ValidationError):
        services.create_goal(owner=learner, title="All", skills=many, target_date=TODAY)
    hidden = ProposedSkillFactory(name="Secret", proposed_by=mentor)
    with pytest.raises(ValidationError) as error:
        services.create_goal(owner=learner, title="x", skills=[hidden], target_date=TODAY)
    assert "skill list" in error.value.message_dict["skills"][0]


def test_today_is_the_owners_own_today(learner, skills, clock):
    # 2 June 03:00 UTC is still 1 June in Los Angeles: 1 June is an acceptable target.
    clock.move_to(dt.datetime(2025, 6, 2, 3, 0, tzinfo=dt.UTC))
    services.create_goal(owner=learner, title="x", skills=[skills["sql"]], target_date=dt.date(2025, 6, 1))


def test_progress_counts_sessions_takeaways_endorsements_and_library_per_skill(learner, mentor, skills):
    goal = LearningGoalFactory(owner=learner, skills=[skills["python"], skills["sql"]])
    drf_session = past_session(mentee=learner, mentor=mentor, skills=[skills["drf"]])
    DebriefFactory(session=drf_session, takeaways=["Use serializers", "Paginate lists"])
    SessionFactory(mentee=learner, mentor=mentor, skills=[skills["python"]])  # upcoming: counts too
    past_session(mentee=learner, mentor=mentor, skills=[skills["python"]], state=SessionState.CANCELLED)
    past_session(mentee=mentor, mentor=learner, skills=[skills["python"]])  # as the mentor: not learning
    EndorsementFactory(session=drf_session, skill=skills["django"])
    LibraryEntryFactory(skills=[skills["django"]])
    LibraryEntryFactory(skills=[skills["sql"]])

    [progress] = services.progress_for(list(services.goals_of(user=learner)), user=learner)
    rows = {row.skill.name: row for row in progress.skills}
    python = rows["Python"]
    assert (python.sessions, python.takeaways, python.endorsements, python.library_entries) == (2, 2, 1, 1)
    assert python.covered
    sql = rows["SQL"]
    assert (sql.sessions, sql.takeaways, sql.endorsements, sql.library_entries, sql.covered) == (
        0,
        0,
        0,
        1,
        False,
    )
    assert (progress.covered, progress.total) == (1, 2)
    assert goal.pk == progress.goal.pk


def test_it_suggests_mentors_and_office_hours_for_skills_not_yet_covered(learner, mentor, skills):
    goal = LearningGoalFactory(owner=learner, skills=[skills["sql"], skills["python"]])
    past_session(mentee=learner, mentor=mentor, skills=[skills["python"]])
    paused = person("Pat Paused")
    paused.profile.open_to_help = True
    paused.profile.paused_until = TODAY + dt.timedelta(days=5)
    paused.profile.save()
    SkillOfferFactory(profile=paused.profile, skill=skills["sql"], level=5)
    block = OfficeHoursFactory(mentor=mentor, title="SQL clinic", skills=[skills["sql"]])
    OfficeHoursFactory(mentor=learner, title="My own", skills=[skills["sql"]])

    progress = services.add_suggestions(services.progress_for([goal], user=learner)[0], user=learner)
    rows = {row.skill.name: row for row in progress.skills}
    assert [offer.profile.display_name for offer in rows["SQL"].mentors] == ["Mo Mentor"]
    assert rows["SQL"].office_hours == [block]
    assert rows["Python"].mentors == [] and rows["Python"].office_hours == []  # covered: nothing to suggest


def test_the_goal_page_shows_progress_and_suggestions(learner_client, learner, mentor, skills):
    goal = LearningGoalFactory(owner=learner, title="Data pivot", skills=[skills["sql"]])
    OfficeHoursFactory(mentor=mentor, title="SQL clinic", skills=[skills["sql"]])
    page = learner_client.get(reverse("goals:detail", args=[goal.pk])).content.decode()
    assert "Data pivot" in page and "0 of 1 skill under way" in page
    assert "Mo Mentor" in page and "SQL clinic" in page
    assert f"?directed_to={mentor.pk}" in page


def test_the_pages_set_edit_achieve_and_delete_a_goal(learner_client, learner, skills):
    response = learner_client.post(
        reverse("goals:new"),
        {"title": "21-day pivot", "skill_1": "SQL", "skill_2": "Django", "target_date": "2025-06-23"},
    )
    goal = LearningGoal.objects.get()
    assert response["Location"] == reverse("goals:detail", args=[goal.pk])
    learner_client.post(
        reverse("goals:edit", args=[goal.pk]),
        {"title": "Pivot", "skill_1": "SQL", "target_date": "2025-06-30"},
    )
    goal.refresh_from_db()
    assert goal.title == "Pivot" and list(goal.skills.values_list("name", flat=True)) == ["SQL"]
    learner_client.post(reverse("goals:achieved", args=[goal.pk]), {"achieved": "1"})
    goal.refresh_from_db()
    assert goal.is_achieved
    learner_client.post(reverse("goals:delete", args=[goal.pk]))
    assert not LearningGoal.objects.exists()


def test_the_form_keeps_what_was_typed_and_explains_errors(learner_client):
    response = learner_client.post(
        reverse("goals:new"), {"title": "Pivot", "skill_1": "Klingon", "target_date": "2025-05-01"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "We don&#x27;t know the skill “Klingon”" in page and 'value="Pivot"' in page
    assert not LearningGoal.objects.exists()


def test_the_new_goal_form_proposes_a_21_day_plan(learner_client):
    page = learner_client.get(reverse("goals:new")).content.decode()
    assert 'value="2025-06-23"' in page


def test_a_past_target_date_may_stay_when_editing(learner, skills, clock):
    goal = services.create_goal(owner=learner, title="x", skills=[skills["sql"]], target_date=TODAY)
    clock.move_to(dt.datetime(2025, 6, 20, 9, 0, tzinfo=dt.UTC))
    services.update_goal(goal=goal, actor=learner, title="y", skills=[skills["sql"]], target_date=TODAY)
    assert LearningGoal.objects.get().title == "y"


def test_the_list_has_an_empty_state_and_shows_progress(learner_client, learner, skills):
    assert "No goals yet" in learner_client.get(reverse("goals:list")).content.decode()
    LearningGoalFactory(owner=learner, title="Pivot", skills=[skills["sql"]])
    assert "0 of 1 skill under way" in learner_client.get(reverse("goals:list")).content.decode()


def test_the_goal_list_costs_the_same_queries_at_any_size(learner, learner_client, mentor, skills):
    for _ in range(3):
        LearningGoalFactory(owner=learner, skills=[skills["python"], skills["sql"]])

    def grow(n):
        make_sessions(n, mentee=learner, mentor=mentor, skills=[skills["drf"]], past=True)
        make_entries(n, skills=[skills["sql"]])

    assert_constant_queries(grow=grow, action=lambda: learner_client.get(reverse("goals:list")))
    detail = reverse("goals:detail", args=[LearningGoal.objects.first().pk])
    assert_constant_queries(grow=grow, action=lambda: learner_client.get(detail))


def test_the_goal_list_costs_the_same_queries_however_many_goals(learner, learner_client, skills):
    assert_constant_queries(
        grow=lambda n: [
            LearningGoalFactory(owner=learner, skills=[skills["python"], skills["sql"]]) for _ in range(n)
        ],
        action=lambda: learner_client.get(reverse("goals:list")),
        large=60,
    )
