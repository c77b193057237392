"""Writing and editing an ask: the rules, the draft, editing only until accepted, co-askers, cancelling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openhelp.directory.people.models import Block
from openhelp.help.asks import services
from openhelp.help.asks.lifecycle import AskConflict
from openhelp.help.asks.models import AskEvent, AskMode, AskState
from openhelp.help.asks.validation import MAX_TITLE, title_from_objective
from openhelp.platform.notifications.models import Notification
from tests.factories import LanguageFactory, SkillFactory, UserFactory
from tests.factories_asks import AskFactory, ask_in_state

pytestmark = pytest.mark.django_db

EDITABLE = [AskState.DRAFT, AskState.OPEN, AskState.OFFERED, AskState.UNMATCHED]
NOT_EDITABLE = [s for s in AskState.values if s not in EDITABLE]


def fields(skill_map, /, **overrides):
    data = {
        "title": "First A/B test analysis",
        "objective": "decide whether to ship the new checkout",
        "context": "I tried a **t-test**.",
        "preparation_questions": ["Which test?", "", "How big a sample?"],
        "skills": [skill_map["ab"], skill_map["python"]],
        "format": "call30",
        "urgency": "this_week",
    }
    data.update(overrides)
    return data


def test_it_saves_a_new_ask_as_a_draft_with_a_timeline(mentee, skills):
    ask = services.create_ask(mentee=mentee, **fields(skills))

    assert ask.state == AskState.DRAFT
    assert ask.mode == AskMode.ROUTED
    assert ask.preparation_questions == ["Which test?", "How big a sample?"]
    assert set(ask.skills.all()) == {skills["ab"], skills["python"]}
    assert AskEvent.objects.get(ask=ask).kind == "created"


def test_it_makes_an_ask_to_one_person_directed(mentee, helper, skills):
    ask = services.create_ask(mentee=mentee, directed_to=helper, **fields(skills))

    assert ask.mode == AskMode.DIRECTED
    assert ask.directed_to == helper


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"title": "x" * 121}, "title"),
        ({"objective": ""}, "objective"),
        ({"preparation_questions": ["", " "]}, "preparation_questions"),
        ({"preparation_questions": [f"q{i}" for i in range(6)]}, "preparation_questions"),
        ({"skills": []}, "skills"),
        ({"format": "call90"}, "format"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"needed_by": dt.date(2000, 1, 1)}, "needed_by"),
    ],
)
def test_it_names_the_field_of_each_broken_rule(mentee, skills, override, field):
    with pytest.raises(ValidationError) as error:
        services.create_ask(mentee=mentee, **fields(skills, **override))

    assert field in error.value.message_dict


def test_it_takes_at_most_five_skills(mentee, skills):
    six = [SkillFactory() for _ in range(6)]

    with pytest.raises(ValidationError) as error:
        services.create_ask(mentee=mentee, **fields(skills, skills=six))

    assert "at most 5 skills" in error.value.message_dict["skills"][0]


def test_it_refuses_someone_elses_unapproved_skill(mentee, skills):
    proposed = SkillFactory(status="proposed", proposed_by=UserFactory())

    with pytest.raises(ValidationError) as error:
        services.create_ask(mentee=mentee, **fields(skills, skills=[proposed]))

    assert "skills" in error.value.message_dict


def test_it_refuses_asking_yourself_or_a_person_who_blocked_you(mentee, helper, skills):
    with pytest.raises(ValidationError) as error:
        services.create_ask(mentee=mentee, directed_to=mentee, **fields(skills))
    assert "directed_to" in error.value.message_dict

    Block.objects.create(blocker=helper, blocked=mentee)
    with pytest.raises(ValidationError) as error:
        services.create_ask(mentee=mentee, directed_to=helper, **fields(skills))
    assert "directed_to" in error.value.message_dict


@pytest.mark.parametrize("title", [None, "", "   "])
def test_it_takes_a_missing_title_from_the_objectives_first_sentence(mentee, skills, title):
    objective = "read my A/B test results. Then decide whether to ship the new checkout."

    ask = services.create_ask(mentee=mentee, **fields(skills, title=title, objective=objective))

    assert ask.title == "Read my A/B test results"
    assert ask.objective == objective  # kept whole


def test_it_trims_a_long_first_sentence_to_the_title_at_a_word():
    objective = "explain " + " ".join(["the results of a very long experiment"] * 6) + ". Then more."

    title = title_from_objective(objective)

    sentence = "E" + objective.split(". ")[0][1:]
    kept = title.removesuffix("…")
    assert len(title) <= MAX_TITLE and title.endswith("…")
    assert sentence.startswith(kept) and sentence[len(kept)] == " "  # cut between two words
    assert len(kept) > MAX_TITLE - 12  # and not much shorter than it could be


def test_without_a_title_or_an_objective_only_the_objective_is_asked_for(mentee, skills):
    with pytest.raises(ValidationError) as error:
        services.create_ask(mentee=mentee, **fields(skills, title="", objective=""))

    assert set(error.value.message_dict) == {"objective"}


def test_clearing_the_title_of_an_ask_takes_it_from_its_objective(mentee):
    ask = ask_in_state(AskState.DRAFT, mentee=mentee, objective="tune the slow report query")

    services.update_ask(ask=ask, actor=mentee, title="")

    ask.refresh_from_db()
    assert ask.title == "Tune the slow report query"


@pytest.mark.parametrize("state", EDITABLE)
def test_it_edits_an_ask_until_someone_accepts_it(mentee, skills, state):
    ask = ask_in_state(state, mentee=mentee)
    english = LanguageFactory(code="en", name="English")

    services.update_ask(
        ask=ask, actor=mentee, title="Sharper title", skills=[skills["django"]], languages=[english]
    )

    ask.refresh_from_db()
    assert ask.title == "Sharper title"
    assert list(ask.skills.all()) == [skills["django"]]
    assert list(ask.languages.all()) == [english]
    event = AskEvent.objects.get(ask=ask, kind="edited")
    assert "title" in event.note and "skills" in event.note


@pytest.mark.parametrize("state", NOT_EDITABLE)
def test_it_refuses_editing_once_accepted_or_closed(mentee, state):
    ask = ask_in_state(state, mentee=mentee, title="Original")

    with pytest.raises(AskConflict, match="can no longer be edited"):
        services.update_ask(ask=ask, actor=mentee, title="Changed")

    ask.refresh_from_db()
    assert ask.title == "Original"


def test_it_lets_only_the_mentee_edit(mentee, co_asker):
    ask = AskFactory(mentee=mentee, co_askers=[co_asker])

    with pytest.raises(PermissionDenied):
        services.update_ask(ask=ask, actor=co_asker, title="Hijacked")


def test_it_changes_who_was_asked_only_in_a_draft(mentee, helper):
    draft = AskFactory(mentee=mentee)
    services.update_ask(ask=draft, actor=mentee, directed_to=helper)
    draft.refresh_from_db()
    assert (draft.mode, draft.directed_to) == (AskMode.DIRECTED, helper)

    published = ask_in_state(AskState.OPEN, mentee=mentee)
    with pytest.raises(ValidationError) as error:
        services.update_ask(ask=published, actor=mentee, directed_to=helper)
    assert "directed_to" in error.value.message_dict


def test_it_records_no_edit_when_nothing_changed(mentee):
    ask = AskFactory(mentee=mentee, title="Same")

    services.update_ask(ask=ask, actor=mentee, title="Same")

    assert not AskEvent.objects.filter(ask=ask, kind="edited").exists()


# --- Co-askers ----------------------------------------------------------------------------------------


def test_it_asks_up_to_four_co_askers_and_tells_them(mentee, co_asker):
    ask = AskFactory(mentee=mentee)
    team = [co_asker, *[UserFactory() for _ in range(3)]]

    services.set_co_askers(ask=ask, actor=mentee, co_askers=team)

    assert not ask.co_askers.exists()  # nobody is on it before saying yes
    assert set(services.co_askers_on(ask)) == set(team)
    assert Notification.objects.filter(event="ask.co_asker.invited").count() == 4
    services.set_co_askers(ask=ask, actor=mentee, co_askers=team)  # again: nobody is asked twice
    assert Notification.objects.filter(event="ask.co_asker.invited").count() == 4


@pytest.mark.parametrize("problem", ["five", "self", "directed"])
def test_it_refuses_bad_co_askers(mentee, helper, problem):
    ask = AskFactory(mentee=mentee, directed_to=helper, mode=AskMode.DIRECTED)
    people = {
        "five": [UserFactory() for _ in range(5)],
        "self": [mentee],
        "directed": [helper],
    }[problem]

    with pytest.raises(ValidationError) as error:
        services.set_co_askers(ask=ask, actor=mentee, co_askers=people)

    assert "co_askers" in error.value.message_dict
    assert not ask.co_askers.exists()


def test_it_freezes_co_askers_once_the_ask_is_closed(mentee, co_asker):
    ask = ask_in_state(AskState.COMPLETED, mentee=mentee)

    with pytest.raises(AskConflict):
        services.set_co_askers(ask=ask, actor=mentee, co_askers=[co_asker])


# --- Cancelling ---------------------------------------------------------------------------------------


def test_it_cancels_with_a_reason_and_tells_the_helper(mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)

    services.cancel_ask(ask=ask, actor=mentee, reason="Solved it with a colleague")

    ask.refresh_from_db()
    assert ask.state == AskState.CANCELLED
    assert ask.cancel_reason == "Solved it with a colleague"
    assert ask.closed_at is not None
    assert AskEvent.objects.get(ask=ask, to_state=AskState.CANCELLED).note == "Solved it with a colleague"
    notice = Notification.objects.get(event="ask.cancelled")
    assert notice.recipient == helper
    assert "Solved it with a colleague" in notice.body


def test_it_needs_a_reason_to_cancel(mentee):
    ask = AskFactory(mentee=mentee)

    with pytest.raises(ValidationError) as error:
        services.cancel_ask(ask=ask, actor=mentee, reason="   ")

    assert "reason" in error.value.message_dict
    ask.refresh_from_db()
    assert ask.state == AskState.DRAFT


def test_it_withdraws_pending_offers_when_cancelled(mentee, helper):
    from openhelp.help.routing.models import Offer, OfferState

    ask = ask_in_state(AskState.OFFERED, mentee=mentee)
    offer = Offer.objects.create(ask=ask, mentor=helper, expires_at=ask.published_at + dt.timedelta(days=1))

    services.cancel_ask(ask=ask, actor=mentee, reason="No longer needed")

    offer.refresh_from_db()
    assert offer.state == OfferState.WITHDRAWN


# --- The web form -------------------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "title": "First A/B test analysis",
        "objective": "decide whether to ship",
        "context": "I tried a t-test.",
        "question_1": "Which test fits?",
        "skill_1": "A/B testing",
        "skill_2": "k8s",
        "format": "call30",
        "urgency": "this_week",
        "save": "",
    }
    data.update(overrides)
    return data


def test_it_saves_a_draft_from_the_web_form_resolving_aliases(mentee_client, mentee, skills):
    response = mentee_client.post(reverse("asks:new"), form_data())

    ask = mentee.asks.get()
    assert response.status_code == 302
    assert response.url == reverse("asks:detail", args=[ask.pk])
    assert set(ask.skills.all()) == {skills["ab"], skills["kubernetes"]}
    assert ask.state == AskState.DRAFT


def test_it_keeps_what_was_typed_next_to_a_specific_error(mentee_client, mentee, skills):
    response = mentee_client.post(
        reverse("asks:new"), form_data(question_1="", skill_1="Underwater basket weaving", skill_2="")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "question_1" in form.errors
    assert "Underwater basket weaving" in form.errors["skill_1"][0]
    assert 'value="First A/B test analysis"' in response.content.decode()
    assert not mentee.asks.exists()


def test_it_requires_at_least_one_skill_next_to_the_first_skill_box(mentee_client, mentee, skills):
    response = mentee_client.post(reverse("asks:new"), form_data(skill_1="", skill_2=""))

    assert "skill_1" in response.context["form"].errors


def test_it_names_unknown_co_askers(mentee_client, mentee, skills):
    response = mentee_client.post(reverse("asks:new"), form_data(co_askers="nobody@example.org"))

    assert "nobody@example.org" in response.context["form"].errors["co_askers"][0]


def test_it_adds_co_askers_by_email(mentee_client, mentee, co_asker, skills):
    mentee_client.post(reverse("asks:new"), form_data(co_askers="COASKER@example.org"))

    ask = mentee.asks.get()
    assert not ask.co_askers.exists()
    assert services.co_askers_on(ask) == [co_asker]  # asked; they join when they accept


def test_it_prefills_ask_this_person(mentee_client, mentee, helper, skills):
    url = reverse("asks:new") + f"?directed_to={helper.pk}"
    page = mentee_client.get(url)
    assert "Hana Helper" in page.content.decode()

    mentee_client.post(url, form_data(directed_to=helper.pk))

    ask = mentee.asks.get()
    assert (ask.mode, ask.directed_to) == (AskMode.DIRECTED, helper)


def test_it_answers_404_for_an_unknown_person_to_ask(mentee_client):
    assert mentee_client.get(reverse("asks:new") + "?directed_to=999999").status_code == 404
    assert mentee_client.get(reverse("asks:new") + "?directed_to=abc").status_code == 404


def test_it_checks_skills_and_experts_without_saving_or_flagging_unfinished_fields(
    mentee_client, mentee, skills
):
    response = mentee_client.post(
        reverse("asks:new"),
        {"title": "Deploying Django on k8s", "objective": "", "skill_1": "Python", "check": ""},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert not mentee.asks.exists()
    assert not response.context["form"].is_bound
    names = [s.name for s in response.context["suggestions"]]
    assert names == ["Django", "Kubernetes"] or set(names) == {"Django", "Kubernetes"}
    assert "Add Django" in body
    assert (
        "this week" in response.context["candidate_text"] or "preview" in response.context["candidate_text"]
    )
    assert 'value="Deploying Django on k8s"' in body


def test_it_adds_a_suggested_skill_to_the_first_empty_box_without_javascript(mentee_client, skills):
    response = mentee_client.post(
        reverse("asks:new"), {"title": "Django question", "skill_1": "Python", "add_skill": "Django"}
    )

    assert response.context["form"].initial["skill_2"] == "Django"
    assert 'value="Django"' in response.content.decode()


def test_it_edits_from_the_web_form_and_refuses_after_accept(mentee_client, mentee, skills):
    ask = AskFactory(mentee=mentee, skills=[skills["python"]])
    page = mentee_client.get(reverse("asks:edit", args=[ask.pk]))
    assert 'value="Python"' in page.content.decode()

    mentee_client.post(reverse("asks:edit", args=[ask.pk]), form_data(title="Edited"))
    ask.refresh_from_db()
    assert ask.title == "Edited"

    accepted = ask_in_state(AskState.ACCEPTED, mentee=mentee)
    response = mentee_client.post(
        reverse("asks:edit", args=[accepted.pk]), form_data(title="Too late"), follow=True
    )
    assert "can no longer be edited" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.title != "Too late"


def test_it_cancels_from_the_web_with_a_reason(mentee_client, mentee):
    ask = AskFactory(mentee=mentee)

    empty = mentee_client.post(reverse("asks:cancel", args=[ask.pk]), {"reason": ""})
    assert "reason" in empty.context["form"].errors

    mentee_client.post(reverse("asks:cancel", args=[ask.pk]), {"reason": "Found the answer"})
    ask.refresh_from_db()
    assert ask.state == AskState.CANCELLED


def test_it_shows_a_notice_not_an_error_for_an_illegal_step(mentee_client, mentee):
    ask = ask_in_state(AskState.COMPLETED, mentee=mentee)

    response = mentee_client.post(reverse("asks:cancel", args=[ask.pk]), {"reason": "oops"}, follow=True)

    assert response.status_code == 200
    assert "cannot become" in response.content.decode()
    ask.refresh_from_db()
    assert ask.state == AskState.COMPLETED
