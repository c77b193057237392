"""The people directory: search by name, skill (aliases, child skills) and text; each filter; speed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from openhelp.directory.people.directory import zones_within
from openhelp.directory.people.models import Format
from openhelp.platform.lib.clock import now
from tests.factories import (
    OpenToHelpProfileFactory,
    ProfileFactory,
    SkillFactory,
    SkillOfferFactory,
    TeamFactory,
    UserFactory,
)
from tests.factories_people import language, make_people
from tests.harness.queries import assert_constant_queries

# January: Berlin is UTC+1, Lisbon UTC+0, New York UTC-5, Tokyo UTC+9.
WINTER = dt.datetime(2027, 1, 13, 10, 0, tzinfo=dt.UTC)


def names(response) -> list[str]:
    return [profile.display_name for profile, _capacity in response.context["people"]]


def search(client, **params) -> list[str]:
    response = client.get(reverse("people:directory"), params)
    assert response.status_code == 200
    return names(response)


@pytest.fixture
def people(db, owner, skills):
    """Olivia (the viewer, Berlin) plus a cast with distinct skills, zones, teams and languages."""
    platform = TeamFactory(name="Platform", slug="platform")
    ana = OpenToHelpProfileFactory(
        display_name="Ana Alves", timezone="Europe/Lisbon", headline="SRE", team=platform, formats=["call30"]
    )
    SkillOfferFactory(profile=ana, skill=skills["kubernetes"], level=4, note="Helm and operators")
    ana.languages.add(language("pt"))
    ben = OpenToHelpProfileFactory(display_name="Ben Brown", timezone="America/New_York", formats=["async"])
    SkillOfferFactory(profile=ben, skill=skills["django"], level=5)
    ben.languages.add(language("en"))
    chika = ProfileFactory(
        display_name="Chika Chen", timezone="Asia/Tokyo", bio="I write about query planners."
    )
    SkillOfferFactory(profile=chika, skill=skills["postgres"], level=3)
    return {"ana": ana, "ben": ben, "chika": chika}


def test_it_lists_open_to_help_people_first(owner_client, people):
    assert search(owner_client) == ["Ana Alves", "Ben Brown", "Chika Chen", "Olivia Owner"]


def test_it_searches_by_name(owner_client, people):
    assert search(owner_client, q="alves") == ["Ana Alves"]


def test_it_searches_by_skill_and_alias(owner_client, people):
    assert search(owner_client, q="Kubernetes") == ["Ana Alves"]
    assert search(owner_client, q="k8s") == ["Ana Alves"]
    assert search(owner_client, skill="k8s") == ["Ana Alves"]


def test_it_finds_child_skill_offerers_when_searching_the_parent(owner_client, people):
    assert search(owner_client, q="python") == ["Ben Brown"]
    assert search(owner_client, skill="Python") == ["Ben Brown"]


def test_it_searches_free_text_in_headline_bio_and_notes(owner_client, people):
    assert search(owner_client, q="sre") == ["Ana Alves"]
    assert search(owner_client, q="query planners") == ["Chika Chen"]
    assert search(owner_client, q="operators") == ["Ana Alves"]


def test_two_letters_match_the_start_of_a_name_word_and_skills_not_any_text(owner_client, people, skills):
    go = SkillFactory(name="Go", slug="go")
    gopal = OpenToHelpProfileFactory(display_name="Gopal Rao", bio="Ten years ago I wrote a compiler.")
    SkillOfferFactory(profile=gopal, skill=skills["python"], level=3)
    OpenToHelpProfileFactory(display_name="Lina Gómez")
    OpenToHelpProfileFactory(
        display_name="Maya Singh", bio="I joined a long time ago.", headline="Algorithms"
    )
    SkillOfferFactory(profile=people["ben"], skill=go, level=2, note="good at goroutines")
    assert search(owner_client, q="go") == ["Ben Brown", "Gopal Rao"]  # the skill Go; a name starting "Go"
    assert search(owner_client, q="gó") == ["Lina Gómez"]  # a later word of the name
    assert search(owner_client, q="ago") == ["Gopal Rao", "Maya Singh"]  # three letters: any text again


def test_it_filters_by_open_to_help_now_leaving_out_paused_people(owner_client, people):
    OpenToHelpProfileFactory(display_name="Dan Paused", paused_until=now().date() + dt.timedelta(days=3))
    assert search(owner_client, open_now="on") == ["Ana Alves", "Ben Brown"]


def test_it_filters_by_format_language_and_team(owner_client, people):
    assert search(owner_client, format=Format.ASYNC.value) == ["Ben Brown"]
    assert search(owner_client, format=Format.CALL_30.value) == ["Ana Alves"]
    assert search(owner_client, language="pt") == ["Ana Alves"]
    assert search(owner_client, team="platform") == ["Ana Alves"]


@time_machine.travel(WINTER, tick=False)
def test_it_filters_by_time_zone_overlap_with_me(owner_client, owner, people):
    owner_client.force_login(owner)  # a session from the travelled-to date, not the real one
    assert search(owner_client, tz_overlap="0") == ["Olivia Owner"]
    assert search(owner_client, tz_overlap="1") == ["Ana Alves", "Olivia Owner"]
    assert search(owner_client, tz_overlap="8") == ["Ana Alves", "Ben Brown", "Chika Chen", "Olivia Owner"]
    assert search(owner_client, tz_overlap="6") == ["Ana Alves", "Ben Brown", "Olivia Owner"]


@time_machine.travel(WINTER, tick=False)
def test_time_zone_distance_wraps_around_the_clock(db):
    ProfileFactory(timezone="Pacific/Honolulu")  # UTC-10, the same clock face as UTC+14
    ProfileFactory(timezone="Europe/Berlin")
    assert zones_within("Pacific/Kiritimati", 0) == ["Pacific/Honolulu"]


def test_it_combines_filters(owner_client, people):
    assert search(owner_client, q="Kubernetes", language="en") == []
    assert search(owner_client, q="Kubernetes", language="pt", open_now="1") == ["Ana Alves"]


def test_it_suggests_removing_filters_when_nothing_matches(owner_client, people):
    response = owner_client.get(reverse("people:directory"), {"q": "cobol", "language": "pt"})
    page = response.content.decode()
    assert "No one matches these filters." in page
    assert 'href="?language=pt"' in page  # "remove" the search, keep the language
    assert 'href="?q=cobol"' in page
    assert "clear all filters" in page


def test_it_paginates_and_keeps_the_filters_in_page_links(owner_client, skills):
    make_people(30, skills=[skills["python"]])
    first = owner_client.get(reverse("people:directory"), {"q": "Bulk", "open_now": "on"})
    assert len(first.context["people"]) == 25
    page = first.content.decode()
    cursor = first.context["page"].next_cursor
    assert f'href="?q=Bulk&amp;open_now=on&amp;after={cursor}"' in page  # keyset: tests/people/test_keyset.py
    second = owner_client.get(reverse("people:directory"), {"q": "Bulk", "open_now": "on", "after": cursor})
    assert len(second.context["people"]) == 5
    assert set(names(first)).isdisjoint(names(second))


def test_it_leaves_out_deactivated_people(owner_client, people):
    gone = UserFactory(is_active=False, with_profile=False)
    ProfileFactory(user=gone, display_name="Gone Person")
    assert "Gone Person" not in search(owner_client)


def test_it_shows_a_bad_filter_value_as_a_field_error_and_keeps_the_other_filters(owner_client, people):
    response = owner_client.get(reverse("people:directory"), {"tz_overlap": "lots", "language": "pt"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["tz_overlap"]
    assert names(response) == ["Ana Alves"]


def test_the_rarer_filters_wait_behind_more_filters_unless_one_is_chosen(owner_client, people):
    # On a phone seven filters filled the first screen before anyone was shown: name, skill and "open to
    # help now" stay in view, format, language, team and time zone sit behind "More filters".
    def more_filters(params) -> str:
        html = owner_client.get(reverse("people:directory"), params).content.decode()
        details = html[html.index('<details class="more-filters"') :]
        assert (
            html.index('name="skill"')
            < html.index('<details class="more-filters"')
            < html.index('name="team"')
        )
        return details[: details.index(">") + 1]

    assert " open" not in more_filters({})
    assert " open" not in more_filters({"skill": "Python", "open_now": "on"})
    assert " open" in more_filters({"language": "pt"})
    assert " open" in more_filters({"tz_overlap": "lots"})  # an error is never hidden


def test_the_directory_page_costs_the_same_queries_for_10_or_500_people(owner_client, skills, db):
    team = TeamFactory(name="Guild", slug="guild")
    langs = [language("en"), language("de")]

    def grow(n):
        make_people(
            n, skills=[skills["python"], skills["django"], skills["kubernetes"]], languages=langs, team=team
        )

    assert_constant_queries(
        grow=grow,
        action=lambda: owner_client.get(reverse("people:directory"), {"q": "python", "open_now": "1"}),
    )
