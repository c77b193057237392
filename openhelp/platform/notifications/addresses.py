"""Where the API shows what a notification is about.

A notification keeps the address of its page (``url``: ``/asks/12/``, ``/inbox/offers/7/``); a client of
the API needs the operation that reads the same object (``/api/v1/asks/12/``). The page's address is
resolved and its URL name looked up here. The names are other apps' (strings, not imports: this app sits
below them); ``tests/notifications/test_api.py`` reverses every one, so a renamed page or operation fails
there. A page with no counterpart in the API (a settings page), or one named otherwise there (a programme's page
takes its slug, the API its id), gives no address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.urls import NoReverseMatch, Resolver404, resolve, reverse

# page URL name → (API URL name, the page's keyword argument → the operation's)
PAGE_TO_API: dict[str, tuple[str, dict[str, str]]] = {
    "asks:detail": ("v1:asks-detail", {"pk": "pk"}),
    "officehours:ask-schedule": ("v1:asks-detail", {"ask_id": "pk"}),
    "routing:offer": ("v1:offers-detail", {"pk": "pk"}),
    "mentoring:detail": ("v1:sessions-detail", {"pk": "pk"}),
    "mentoring:debrief": ("v1:sessions-debrief", {"pk": "pk"}),
    "officehours:booking": ("v1:bookings-detail", {"pk": "pk"}),
    "people:detail": ("v1:people-detail", {"pk": "pk"}),
    "people:me": ("v1:people-me", {}),
    "recognition:mine": ("v1:kudos-list", {}),
    "moments:list": ("v1:moments-list", {}),
    "moments:introduction": ("v1:introductions-detail", {"pk": "pk"}),
    "goals:detail": ("v1:goals-detail", {"pk": "pk"}),
    "library:detail": ("v1:library-detail", {"pk": "pk"}),
    "accounts:tokens": ("v1:token-list", {}),
    "skills:list": ("v1:skill-list", {}),
    "skills:detail": ("v1:skill-detail", {"slug": "slug"}),
    "webhooks:detail": ("v1:webhook-endpoint", {"pk": "pk"}),
    "sso:provider-detail": ("v1:sso-provider-detail", {"pk": "pk"}),
}


def api_address(url: str) -> str:
    """The API's address of what the page at ``url`` shows, or "" when the API has none."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return ""
    found = PAGE_TO_API.get(match.view_name)
    if found is None:
        return ""
    name, arguments = found
    try:
        return reverse(name, kwargs={arguments[key]: value for key, value in match.kwargs.items()})
    except (NoReverseMatch, KeyError):
        return ""
