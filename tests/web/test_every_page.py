"""Issue 13, item 6: the list of every own page per demo role (tests/harness/pages.py) is complete.

The browser check (tests/browser/test_every_page.py) runs axe-core and the overflow check over that list,
and fails when a listed page does not answer its role with the page itself. This fast test keeps the list
complete: a new URL pattern must be listed in PAGES or excluded in EXCLUDED with a reason.
"""

from __future__ import annotations

from tests.harness import pages


def test_it_lists_every_page_of_the_site_or_says_why_not():
    assert pages.unlisted_names() == [], "new pages: add them to PAGES (or to EXCLUDED with the reason)"
    assert pages.unknown_names() == [], "these URL names are gone: remove them from PAGES or EXCLUDED"
    listed = [page.name for page in pages.PAGES]
    assert len(listed) == len(set(listed)), "a page is listed twice"
    assert not set(listed) & set(pages.EXCLUDED), "a page is both listed and excluded"


def test_every_role_has_pages_and_every_page_a_role():
    for role in pages.ROLES:
        assert pages.pages_of(role), f"no page for the {role}"
    for page in pages.PAGES:
        assert page.roles and set(page.roles) <= {*pages.ROLES, pages.SITE_ADMIN}, page
