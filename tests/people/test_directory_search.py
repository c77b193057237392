"""The directory's text search read three ways gives the same people, pages and counts: every match as a
subquery (the header search), a short list of ids sorted (a rare search), and directory order tested
person by person until the page is full (a common search, when the probe stops at ``PROBE_ROWS``)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import Q

from openhelp.directory.people import directory, keyset
from openhelp.directory.people.directory import DirectoryFilters, TextSearch, directory_page, search_profiles
from openhelp.directory.people.models import Profile
from openhelp.directory.skills.services import (
    matching_skill_ids,
    resolve_skill,
    search_skill_ids,
    with_descendants,
)
from openhelp.platform.accounts.models import User
from tests.factories import (
    OpenToHelpProfileFactory,
    ProfileFactory,
    SkillAliasFactory,
    SkillFactory,
    SkillOfferFactory,
    TeamFactory,
    UserFactory,
    make_owner,
)
from tests.factories_skills import ProposedSkillFactory
from tests.harness import shared

DAY = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)
TODAY = DAY.date()

# The probe's size for each way of reading: everything in one probe, and a probe that always stops early.
FEW = 10_000
MANY = 2

SEARCHES = [
    DirectoryFilters(q="data"),  # headlines, bios, a note and a skill
    DirectoryFilters(q="python"),  # a skill and its child skill
    DirectoryFilters(q="priya"),  # names
    DirectoryFilters(q="pr"),  # two letters: the start of a name's word
    DirectoryFilters(q="go"),  # two letters: the skill Go, not "ago" in a bio
    DirectoryFilters(q="data", open_now=True),
    DirectoryFilters(q="data", team="platform"),
    DirectoryFilters(q="data", skill="python"),
    DirectoryFilters(q="nobody-has-this"),
]


@pytest.fixture(scope="class")
def crowd(request, django_db_setup, django_db_blocker):
    """People who match "data" in every way, name clusters ("Priya …"), paused and closed people, and the
    owner of tests/conftest.py: built once for ``TestTheCrowd`` (it was 0.06 s of CPU in each of 29 tests),
    in a transaction rolled back after them."""
    with shared.rolled_back(request, django_db_blocker):
        make_owner()  # tests/conftest.py's owner, whom the searches meet too
        with time_machine.travel(DAY, tick=False):
            platform = TeamFactory(name="Platform", slug="platform")
            python = SkillFactory(name="Python", slug="python")
            django = SkillFactory(name="Django", slug="django", parent=python)
            go = SkillFactory(name="Go", slug="go")
            viz = SkillFactory(name="Data visualisation", slug="data-visualisation")
            for n in range(6):
                OpenToHelpProfileFactory(
                    display_name=f"Priya Shah {n}", headline="Data engineer", team=platform
                )
                ProfileFactory(display_name=f"Priya Rao {n}", bio="I like big data.")
                person = OpenToHelpProfileFactory(
                    display_name=f"Ana {n}", paused_until=TODAY + dt.timedelta(days=n % 2)
                )
                SkillOfferFactory(
                    profile=person, skill=django if n % 2 else python, level=3, note="Data pipelines"
                )
                SkillOfferFactory(
                    profile=OpenToHelpProfileFactory(display_name=f"Zoe {n}"), skill=viz, level=2
                )
                SkillOfferFactory(
                    profile=ProfileFactory(display_name=f"Bo {n}", bio="Ten years ago"), skill=go, level=4
                )
                OpenToHelpProfileFactory(display_name=f"Cy {n}", headline="Designer", team=platform)
            gone = UserFactory(is_active=False, with_profile=False)
            ProfileFactory(user=gone, display_name="Priya Gone", headline="Data engineer", open_to_help=True)
        yield


def oracle(filters: DirectoryFilters) -> list[int]:
    """Every match in directory order, by the subquery and a sort of everybody."""
    return [profile.pk for profile in search_profiles(filters, moment=DAY)]


def walk(filters: DirectoryFilters, size: int) -> tuple[list[int], list[keyset.CappedCount]]:
    pages, counts, after = [], [], ""
    while True:
        page = directory_page(filters, size=size, after=after, moment=DAY)
        pages += [profile.pk for profile in page.people]
        counts.append(page.count)
        if page.next_cursor is None:
            return pages, counts
        after = page.next_cursor


@pytest.mark.django_db  # each test in its own transaction inside the crowd's, rolled back after it
@pytest.mark.usefixtures("crowd")
@pytest.mark.xdist_group("directory-search-crowd")
class TestTheCrowd:
    """The tests that read the crowd, which is built once for them."""

    @pytest.mark.parametrize("probe_rows", [FEW, MANY])
    @pytest.mark.parametrize(
        "filters", SEARCHES, ids=lambda f: f"{f.q}{'+open' if f.open_now else ''}{f.team}{f.skill}"
    )
    def test_every_way_of_reading_gives_the_same_pages_and_count(self, monkeypatch, filters, probe_rows):
        monkeypatch.setattr(directory, "PROBE_ROWS", probe_rows)
        expected = oracle(filters)
        for size in (1, 4, 50):
            pages, counts = walk(filters, size)
            assert pages == expected
            assert {(count.value, count.capped) for count in counts} == {(len(expected), False)}

    def test_the_searches_find_what_they_say(self):
        assert len(oracle(DirectoryFilters(q="priya"))) == 12  # not the deactivated Priya
        assert len(oracle(DirectoryFilters(q="go"))) == 9  # offering Go or "Djan-go", not "ago" in a bio
        assert len(oracle(DirectoryFilters(q="python"))) == 6  # Python and Django
        assert len(oracle(DirectoryFilters(q="data"))) == 24

    @pytest.mark.parametrize("probe_rows", [FEW, MANY])
    def test_backward_pages_read_the_same_order(self, monkeypatch, probe_rows):
        monkeypatch.setattr(directory, "PROBE_ROWS", probe_rows)
        filters = DirectoryFilters(q="data")
        first = directory_page(filters, size=5, moment=DAY)
        second = directory_page(filters, size=5, after=first.next_cursor, moment=DAY)
        back = directory_page(filters, size=5, before=second.previous_cursor, moment=DAY)
        assert [p.pk for p in back.people] == [p.pk for p in first.people]

    @pytest.mark.parametrize("probe_rows", [FEW, MANY])
    def test_old_page_numbers_read_the_same_order(self, monkeypatch, probe_rows):
        monkeypatch.setattr(directory, "PROBE_ROWS", probe_rows)
        filters = DirectoryFilters(q="data")
        third = directory_page(filters, size=5, page_number=3, moment=DAY)
        assert [p.pk for p in third.people] == oracle(filters)[10:15]

    def test_a_common_search_knows_the_count_passed_the_cap_from_its_probe(self, monkeypatch):
        monkeypatch.setattr(directory, "PROBE_ROWS", 12)
        monkeypatch.setattr(keyset, "COUNT_CAP", 5)
        sampled = []
        real = directory.capped_count
        monkeypatch.setattr(
            directory, "capped_count", lambda qs, cap=None: sampled.append(qs) or real(qs, cap)
        )
        page = directory_page(DirectoryFilters(q="data"), size=3, moment=DAY)
        assert (page.count.value, page.count.capped) == (5, True)
        assert len(sampled) == 1  # the sample alone: the search is not counted again

    def test_a_sample_that_falls_short_is_not_taken_for_the_count(self, monkeypatch):
        # The probe reads the six Zoes (the skill comes first) and two Priyas; two Zoes have left since.
        Profile.objects.filter(display_name__in=["Zoe 0", "Zoe 1"]).update(open_to_help=False)
        User.objects.filter(profile__display_name__in=["Zoe 0", "Zoe 1"]).update(is_active=False)
        monkeypatch.setattr(directory, "PROBE_ROWS", 8)
        monkeypatch.setattr(keyset, "COUNT_CAP", 7)
        filters = DirectoryFilters(q="data")
        page = directory_page(filters, size=3, moment=DAY)
        assert (page.count.value, page.count.capped) == (7, True)  # counted in full: 22 people
        monkeypatch.setattr(keyset, "COUNT_CAP", 100)
        page = directory_page(filters, size=3, moment=DAY)
        assert (page.count.value, page.count.capped) == (len(oracle(filters)), False) == (22, False)

    def test_a_narrow_filter_with_a_common_search_reads_the_matches_first(self, monkeypatch):
        monkeypatch.setattr(directory, "PROBE_ROWS", MANY)
        walked = []
        monkeypatch.setattr(directory.TextSearch, "condition", lambda self: walked.append(self) or Q())
        filters = DirectoryFilters(q="data", team="platform")
        assert [p.pk for p in directory_page(filters, size=50, moment=DAY).people] == oracle(filters)
        assert walked == []  # not read in directory order person by person
        directory_page(DirectoryFilters(q="data", open_now=True), size=50, moment=DAY)
        assert len(walked) == 1

    def test_a_deactivated_person_is_never_found_however_the_search_is_read(self, monkeypatch):
        for probe_rows in (FEW, MANY):
            monkeypatch.setattr(directory, "PROBE_ROWS", probe_rows)
            names = [
                p.display_name for p in directory_page(DirectoryFilters(q="gone"), size=10, moment=DAY).people
            ]
            assert names == []

    def test_the_page_says_which_skills_the_search_matched(self):
        page = directory_page(DirectoryFilters(q="python", skill="go"), size=5, moment=DAY)
        assert {s for s in page.skill_ids} == set(search_skill_ids("python")) | set(search_skill_ids("go"))

    def test_a_text_search_is_one_probe_however_the_skill_words_resolve(self):
        search = TextSearch.of("  Data ")
        assert search is not None and search.text == "Data"
        assert TextSearch.of("   ") is None


# --- search_skill_ids: what the old composition found, in fewer queries --------------------------------


def old_search_skill_ids(text: str, user=None) -> set[int]:
    ids = matching_skill_ids(text, user=user)
    exact = resolve_skill(text, user=user)
    if exact is not None:
        ids.add(exact.pk)
    return with_descendants(ids)


def test_search_skill_ids_finds_names_aliases_children_and_only_visible_proposals(db, owner, outsider):
    python = SkillFactory(name="Python", slug="python")
    SkillFactory(name="Django", slug="django", parent=python)
    kubernetes = SkillFactory(name="Kubernetes", slug="kubernetes")
    SkillAliasFactory(skill=kubernetes, name="k8s")
    mine = ProposedSkillFactory(name="Pythonic idioms", proposed_by=owner)
    SkillAliasFactory(skill=mine, name="py-idioms")
    for text in ("python", "PY", "k8s", "K8S ", "kube", "idioms", "django", "", "  ", "nothing"):
        for user in (None, owner, outsider):
            assert search_skill_ids(text, user=user) == old_search_skill_ids(text, user=user), (text, user)
    assert mine.pk in search_skill_ids("idioms", user=owner)
    assert mine.pk not in search_skill_ids("idioms", user=outsider)


def test_search_skill_ids_costs_one_query_and_one_per_level_of_children(db, django_assert_num_queries):
    python = SkillFactory(name="Python", slug="python")
    SkillFactory(name="Django", slug="django", parent=python)
    with django_assert_num_queries(3):  # the skills, their children, the children's (none)
        search_skill_ids("python")
    with django_assert_num_queries(1):  # nothing matched: no children to look for
        search_skill_ids("nothing")
