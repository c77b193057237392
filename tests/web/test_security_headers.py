"""Issue 11, item 5: every HTML page carries a Content-Security-Policy and a Permissions-Policy, and no page
has script or style the policy would block.

Rather than a hand-kept list of URLs, each role (anonymous, mentee, mentor, organiser, site admin) crawls
the seeded demo organisation from a few start pages, following every link and redirect. A completeness
check then requires that every page of the site was reached by some role (or is named below as not being
an HTML page), so a new page is checked without anyone remembering to add it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
import time_machine
from django.http import HttpResponse, HttpResponseNotFound
from django.test import Client, RequestFactory, override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from openhelp.demo.data import DEMO_PASSWORD, MENTEE_EMAIL, MENTOR_EMAIL, ORGANISER_EMAIL
from openhelp.demo.services import seed_demo
from openhelp.help.asks.models import Ask, CoAskerInvitation
from openhelp.platform.accounts.models import User
from openhelp.platform.core.middleware import SecurityHeadersMiddleware
from tests.factories_asks import AskFactory
from tests.factories_sso import saml_provider
from tests.harness import pages

TODAY = dt.date(2026, 12, 2)
NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)

# URL names that never answer a GET with an HTML page of their own: POST-only actions (a GET answers 405),
# downloads, feeds and JSON. Every other URL name outside the API and the admin must be reached by the crawl.
INTEGRATION_NAMESPACES = {
    "slack",
    "matrix",
    "webhooks",
    "calendars",
    "sso",
    "provisioning-web",
    "provisioning",
}
NOT_PAGES = {
    # POST-only actions, and redirects
    "people:me",
    "asks:schedule",
    "mentoring:plan",
    "programmes:add-members",
    "account_logout",
    "core:home",  # the same "/" as today:home, which answers it (today's URLs come first)
    "core:theme",
    "accounts:token-revoke",
    "skills:approve",
    "skills:reject",
    "skills:rename",
    "skills:merge",
    "notifications:read",
    "notifications:read-all",
    "asks:cancel",
    "asks:publish",
    "asks:reroute",
    "asks:message",
    "asks:answered",
    "asks:complete",
    "asks:follow-up",
    "asks:co-askers",
    "asks:invitation-answer",
    "asks:leave",
    "asks:preview",
    "routing:accept",
    "routing:decline",
    "routing:pause",
    "routing:resume",
    "routing:ranker-switch",
    "officehours:block-preview",
    "officehours:block-delete",
    "officehours:time-off-delete",
    "officehours:waitlist-join",
    "officehours:waitlist-leave",
    "officehours:booking-cancel",
    "officehours:calendar-rotate",
    "mentoring:lift-pause",
    "mentoring:agenda-template",
    "mentoring:agenda-step-add",
    "mentoring:agenda-step-tick",
    "mentoring:shared-notes",
    "mentoring:private-notes",
    "mentoring:attendance",
    "recognition:endorse",
    "moments:delete",
    "moments:introduction-answer",
    "moments:introduction-message",
    "library:withdraw",
    "goals:achieved",
    "goals:delete",
    "programmes:join",
    "programmes:accept",
    "programmes:leave",
    "programmes:set-role",
    "programmes:remove-member",
    "programmes:rotate-invite",
    "network:recompute",
    "network:my-name",
    "imports:apply",
    "mfa_generate_recovery_codes",
    # downloads, feeds and JSON
    "core:healthz",
    "skills:autocomplete",
    "asks:suggest-skills",
    "routing:suggestions",
    "library:suggestions",
    "officehours:booking-ics",
    "officehours:feed",
    "mentoring:export",
    "insights:download",
    "network:flow-csv",
    "network:knowledge-nodes-csv",
    "imports:export",
    "mfa_download_recovery_codes",
    "api-schema",
    # pages that only exist inside a flow this crawl cannot start: a link from an e-mail, an upload,
    # a login that is half-way through
    "account_confirm_email",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_reset_password_done",
    "account_confirm_login_code",
    "account_email_verification_sent",
    "account_inactive",
    "account_reauthenticate",
    "account_set_password",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "programmes:join-token",
    "imports:preview",
    "mentoring:for-ask",
    "officehours:booking-session",
    # integrations: actions, endpoints other systems call, and pages needing an object the demo lacks
    *pages.SLACK_ENDPOINTS,
    *pages.SCIM_NAMES,
    *pages.SSO_STEPS,
    *(name for name, why in pages.EXCLUDED.items() if name.split(":")[0] in INTEGRATION_NAMESPACES),
    "saml_metadata",
    "socialaccount_signup",
    "socialaccount_login_error",  # answers 401: its headers are checked, but only 200s count as reached
}
START_PAGES = {
    "anonymous": [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
        "/style/",  # the living style guide, linked from no page of the app
        "/sso/login/",  # the company login is a form on the login page
        "/accounts/3rdparty/login/cancelled/",
        "/accounts/3rdparty/login/error/",
    ],
    # one's own profile first: its edit links are only there, and the crawl sees each page type once
    "member": [
        "/people/me/",
        "/",
        "/settings/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/api/docs/",
        "/search/?q=python",  # the header search is a form (the crawl follows links only)
        "/accounts/3rdparty/",  # allauth's list of linked company logins
    ],
    "admin": ["/admin/"],
}
VISITS_PER_PAGE = 1  # URLs per URL name and role: each page type, not every row
MAX_REQUESTS_PER_ROLE = 600
REQUIRED_DIRECTIVES = {
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def test_it_puts_both_headers_on_every_html_page_and_no_inline_code_in_any(db):
    with time_machine.travel(NOW, tick=False):
        seed_demo(people=30, seed=11, today=TODAY)
        admin = User.objects.create_superuser(email="site-admin@example.org", password="!")  # noqa: S106
        mentee = User.objects.get(email=MENTEE_EMAIL)
        draft = AskFactory(mentee=mentee, title="A draft to edit")  # the demo has no draft of hers
        saml_provider(
            slug="demo-okta", domains=("demo.opentohelp.org",), status="draft"
        )  # its page, for the admin
        # pages a notification or another state links to, not a page the crawl sees first
        mentor = User.objects.get(email=MENTOR_EMAIL)
        CoAskerInvitation.objects.create(ask=draft, invitee=mentor, invited_by=mentee)
        mentor_pages = [reverse("asks:invitation", args=[draft.pk])]
        mentee_pages = [reverse("asks:edit", args=[draft.pk])] + [
            reverse("officehours:ask-schedule", args=[pk]) for pk in _asks_of(mentee)
        ]
        roles = {
            "anonymous": (Client(), START_PAGES["anonymous"]),
            "mentee": (_logged_in(MENTEE_EMAIL), START_PAGES["member"] + mentee_pages),
            "mentor": (_logged_in(MENTOR_EMAIL), START_PAGES["member"] + mentor_pages),
            # the organisers' sessions page is linked from no other page (yet)
            "organiser": (
                _logged_in(ORGANISER_EMAIL),
                START_PAGES["member"] + [reverse("mentoring:organiser")],
            ),
            "admin": (_forced(admin), START_PAGES["admin"] + _admin_pages_of(draft) + START_PAGES["member"]),
        }
        crawls = {role: _crawl(client, start) for role, (client, start) in roles.items()}

    problems = [f"{role}: {problem}" for role, crawl in crawls.items() for problem in crawl.problems]
    assert not problems, "\n".join(problems)

    rendered = set().union(*(crawl.rendered for crawl in crawls.values()))
    missing = sorted(_site_page_names() - NOT_PAGES - rendered)
    assert not missing, f"pages no role reached (link them, or name them in NOT_PAGES): {missing}"
    for kind in ("admin:index", "admin:*_changelist", "admin:*_change", "admin:*_add", "admin:*_history"):
        assert kind in crawls["admin"].rendered, f"no admin page {kind} checked"
    assert crawls["anonymous"].statuses[404], "the 404 page was not checked"


def test_it_puts_both_headers_on_the_csrf_failure_page_and_no_inline_style(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("account_login"), {"login": "someone@example.org", "password": "x"})

    assert response.status_code == 403
    assert _header_problems(response) == []
    page = _Page()
    page.feed(response.content.decode())
    assert page.problems(_nonce(response["Content-Security-Policy"])) == []
    assert "Please try again" in response.content.decode()


@override_settings(DEBUG=True)
def test_it_leaves_djangos_debug_pages_alone(rf: RequestFactory):
    # Django 5.2's technical 404 and 500 pages have inline scripts and styles without a nonce, and
    # exist only with DEBUG on: a policy would only break them.
    response = SecurityHeadersMiddleware(lambda request: HttpResponseNotFound("<h1>Page not found</h1>"))(
        rf.get("/")
    )

    assert "Content-Security-Policy" not in response


def test_it_gives_every_request_its_own_nonce(rf: RequestFactory):
    def page(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = SecurityHeadersMiddleware(page)
    first, second = middleware(rf.get("/")), middleware(rf.get("/"))

    nonces = [_nonce(response["Content-Security-Policy"]) for response in (first, second)]
    assert all(nonces) and nonces[0] != nonces[1]
    assert f'nonce="{nonces[0]}"' in first.content.decode()


def test_it_leaves_a_policy_a_view_set_itself(rf: RequestFactory):
    def page(request):
        response = HttpResponse("<p>embedded</p>")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(page)(rf.get("/"))

    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "camera=()" in response["Permissions-Policy"]


# --- the crawl -----------------------------------------------------------------------------------------


@dataclass
class Crawl:
    rendered: set[str] = field(default_factory=set)  # URL names that answered 200 with an HTML page
    statuses: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def _crawl(client: Client, start: list[str]) -> Crawl:
    crawl = Crawl()
    queue = list(start)
    seen: set[str] = set()
    visits: Counter = Counter()
    while queue and len(seen) < MAX_REQUESTS_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        name = _url_name(url)
        if name is not None and visits[name] >= VISITS_PER_PAGE:
            continue
        seen.add(url)
        visits[name] += 1
        response = client.get(url)
        crawl.statuses[response.status_code] += 1
        if response.status_code >= 500:
            crawl.problems.append(f"{url} answered {response.status_code}: the page could not be checked")
        if response.status_code in (301, 302, 303, 307, 308):
            queue.insert(0, response["Location"])
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        crawl.problems.extend(f"{url} ({response.status_code}): {p}" for p in _header_problems(response))
        page = _Page()
        page.feed(response.content.decode())
        nonce = _nonce(response.get("Content-Security-Policy", ""))
        crawl.problems.extend(f"{url} ({response.status_code}): {p}" for p in page.problems(nonce))
        if response.status_code == 200 and name is not None:
            crawl.rendered.add(name)
        queue.extend(link for link in page.links if _followable(link))
    return crawl


def _header_problems(response) -> list[str]:
    problems = []
    policy = response.get("Content-Security-Policy")
    if not policy:
        problems.append("no Content-Security-Policy header")
    else:
        directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
        for directive, source in REQUIRED_DIRECTIVES.items():
            if source not in directives.get(directive, []):
                problems.append(f"Content-Security-Policy lacks {directive} {source}: {policy}")
        for directive in ("script-src", "style-src", "default-src"):
            if "'unsafe-inline'" in directives.get(directive, []) or "'unsafe-eval'" in directives.get(
                directive, []
            ):
                problems.append(f"{directive} allows unsafe code: {policy}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"no Permissions-Policy denying the camera: {response.get('Permissions-Policy')}")
    return problems


class _Page(HTMLParser):
    """The parts of an HTML page a Content-Security-Policy judges, and its links."""

    DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}  # data, never run

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.inline: list[tuple[str, str | None, str]] = []  # (tag, nonce, where)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = self.get_starttag_text()[:120]
        for attribute, value in attrs:
            if attribute.startswith("on"):
                self.found.append(f"inline event handler {attribute}= in {where}")
            if attribute == "style":
                self.found.append(f"inline style attribute in {where}")
            if attribute in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {where}")
        if tag == "script" and "src" not in attributes:
            if (attributes.get("type") or "").lower() not in self.DATA_SCRIPT_TYPES:
                self.inline.append((tag, attributes.get("nonce"), where))
        if tag == "script" and "src" in attributes and urlsplit(attributes["src"] or "").netloc:
            self.found.append(f"script from another origin: {where}")
        if tag == "style":
            self.inline.append((tag, attributes.get("nonce"), where))
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def problems(self, nonce: str | None) -> list[str]:
        unnonced = [
            f"inline <{tag}> without the response's nonce: {where}"
            for tag, n, where in self.inline
            if not nonce or n != nonce
        ]
        return self.found + unnonced


def _nonce(policy: str) -> str | None:
    match = re.search(r"'nonce-([^']+)'", policy)
    return match.group(1) if match else None


def _followable(link: str) -> bool:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return False
    return not parts.path.startswith(("/static/", "/api/v1/"))


def _url_name(url: str) -> str | None:
    """The URL's name, e.g. ``asks:detail``; the admin's pages count per kind (``admin:*_change``), as they
    share their templates across models."""
    path = urldefrag(urlsplit(url).path).url
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if name.startswith("admin:") and "_" in name:
        return "admin:*_" + name.rsplit("_", 1)[1]
    return name


def _site_page_names() -> set[str]:
    """Every named URL of the site outside the JSON API and the admin."""
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                walk(pattern, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), None)
    return {name for name in names if not name.startswith(("admin:", "v1:"))}


def _logged_in(email: str) -> Client:
    """Logged in through allauth's forms, so the session counts as a fresh login (2FA set-up needs one)."""
    client = Client()
    for url, data in (
        (reverse("account_login"), {"login": email, "password": DEMO_PASSWORD}),
        # setting up two-factor asks to confirm the password again, whatever the age of the login
        (reverse("account_reauthenticate"), {"password": DEMO_PASSWORD}),
    ):
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    return client


def _forced(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _admin_pages_of(ask: Ask) -> list[str]:
    """The admin counts each kind of page once; these make sure it is a list with rows and a filled form."""
    return [
        reverse(f"admin:asks_ask_{kind}", args=args)
        for kind, args in [("changelist", []), ("change", [ask.pk])]
    ]


def _asks_of(user: User) -> list[int]:
    return list(Ask.objects.filter(mentee=user).order_by("pk").values_list("pk", flat=True)[:3])


@pytest.fixture
def rf() -> RequestFactory:
    return RequestFactory()
