"""The skill page's lists of people, a page at a time: every "more" link followed from the first page
reaches each person exactly once, in the page's order (available today first, then by level, then the
newest profile; the latest wish first), across the two availability segments and however rows change
between pages; a made-up cursor starts again from the top and says so."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from openhelp.directory.people.models import SkillOffer
from openhelp.directory.skills import skill_people
from openhelp.platform.lib.clock import now
from tests.factories import OpenToHelpProfileFactory, ProfileFactory, SkillOfferFactory, SkillWantedFactory

MORE_OFFERS = re.compile(r'href="([^"]*)" rel="next">More people who can help')
MORE_WANTED = re.compile(r'href="([^"]*)">More people who want to learn it')


def _offers(skill, today):
    """A mix of levels and of available, paused, resumed today and closed people."""
    for index in range(23):
        kind = index % 4
        if kind == 0:
            profile = OpenToHelpProfileFactory()
        elif kind == 1:
            profile = OpenToHelpProfileFactory(paused_until=today + dt.timedelta(days=2))
        elif kind == 2:
            profile = OpenToHelpProfileFactory(paused_until=today)  # the pause ended: available
        else:
            profile = ProfileFactory(open_to_help=False)
        SkillOfferFactory(profile=profile, skill=skill, level=1 + index % 5)


def expected_offers(skill, today) -> list[int]:
    """The order the page promises, worked out in Python from every offer."""
    offers = SkillOffer.objects.filter(skill=skill).select_related("profile")
    ordered = sorted(offers, key=lambda o: (not o.profile.is_available(today), -o.level, -o.profile_id))
    return [offer.pk for offer in ordered]


def _walk(client, url, pattern, context_name) -> list[int]:
    seen: list[int] = []
    for _ in range(50):
        response = client.get(url)
        assert response.status_code == 200
        seen += [row.pk for row in response.context[context_name].rows]
        found = pattern.search(response.content.decode())
        if not found:
            return seen
        url = reverse("skills:detail", args=[response.context["skill"].slug]) + html.unescape(found.group(1))
    raise AssertionError("the pages never end")


def test_following_more_reaches_every_offer_once_in_order(taxonomy, owner_client):
    today = now().date()
    _offers(taxonomy.kubernetes, today)
    url = reverse("skills:detail", args=[taxonomy.kubernetes.slug])
    seen = []
    for size in (5, 4):  # pages that end inside a segment and right at its end (12 available)
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(skill_people.offers_page.__kwdefaults__, "size", size)
            seen = _walk(owner_client, url, MORE_OFFERS, "offers")
        assert seen == expected_offers(taxonomy.kubernetes, today)


def test_following_more_reaches_every_wish_once_the_latest_first(taxonomy, owner_client):
    wishes = [
        SkillWantedFactory(skill=taxonomy.kubernetes).pk for _ in range(skill_people.WANTED_SHOWN * 2 + 3)
    ]
    url = reverse("skills:detail", args=[taxonomy.kubernetes.slug])
    assert _walk(owner_client, url, MORE_WANTED, "wanted") == sorted(wishes, reverse=True)


def test_the_first_page_shows_a_page_of_cards_and_a_link_to_the_rest(taxonomy, owner_client):
    for _ in range(skill_people.OFFERS_SHOWN + 1):
        SkillOfferFactory(skill=taxonomy.kubernetes, profile=OpenToHelpProfileFactory())
    page = owner_client.get(reverse("skills:detail", args=[taxonomy.kubernetes.slug]))
    text = page.content.decode()
    assert len(page.context["offers"].rows) == skill_people.OFFERS_SHOWN
    assert f"Who can help ({skill_people.OFFERS_SHOWN + 1})" in text
    assert MORE_OFFERS.search(text) and "First people who can help" not in text
    later = owner_client.get(page.request["PATH_INFO"] + html.unescape(MORE_OFFERS.search(text).group(1)))
    assert len(later.context["offers"].rows) == 1
    assert "First people who can help" in later.content.decode()
    assert not MORE_OFFERS.search(later.content.decode())


def test_rows_changing_between_pages_neither_repeat_nor_skip_anyone(taxonomy, owner_client):
    today = now().date()
    _offers(taxonomy.kubernetes, today)
    first = skill_people.offers_page(taxonomy.kubernetes, today=today, size=6)
    SkillOffer.objects.filter(pk=first.rows[0].pk).delete()  # someone already shown leaves
    SkillOfferFactory(skill=taxonomy.kubernetes, level=5, profile=OpenToHelpProfileFactory())  # joins on top
    after = skill_people.OfferKey.decode(first.next_cursor)
    rest = skill_people.offers_page(taxonomy.kubernetes, today=today, after=after, size=100)
    shown = [row.pk for row in first.rows[1:]] + [row.pk for row in rest.rows]
    order = expected_offers(taxonomy.kubernetes, today)
    assert shown == order[order.index(first.rows[1].pk) :]


@pytest.mark.parametrize("cursor", ["nonsense", "WzEsMi41LDNd", "W1siYSJdXQ", "WzIsMywxXQ", "Wy0xXQ"])
def test_a_made_up_cursor_starts_from_the_top_and_says_so(taxonomy, owner_client, cursor):
    SkillOfferFactory(skill=taxonomy.kubernetes, profile=OpenToHelpProfileFactory(display_name="Ada Top"))
    SkillWantedFactory(skill=taxonomy.kubernetes, profile=ProfileFactory(display_name="Lena Learner"))
    url = reverse("skills:detail", args=[taxonomy.kubernetes.slug])
    for name in ("after", "wanted_after"):
        response = owner_client.get(url, {name: cursor})
        text = response.content.decode()
        assert response.status_code == 200
        assert skill_people.INVALID_CURSOR in text
        assert "Ada Top" in text and "Lena Learner" in text


def test_a_cursor_past_the_end_links_back_to_the_first_people(taxonomy, owner_client):
    SkillOfferFactory(skill=taxonomy.kubernetes)
    SkillWantedFactory(skill=taxonomy.kubernetes)
    offers_end = skill_people.OfferKey(available=False, level=1, profile_id=1).encode()
    wanted_end = skill_people.WantedKey(pk=1).encode()
    url = reverse("skills:detail", args=[taxonomy.kubernetes.slug])
    text = owner_client.get(url, {"after": offers_end, "wanted_after": wanted_end}).content.decode()
    assert "Back to the first people who can help" in text
    assert "Back to the first people who want to learn it" in text
    assert "Nobody offers" not in text and "Nobody has said" not in text
