"""Every own page of the site, for each demo role: the list the accessibility and overflow check walks
(tests/browser/test_every_page.py) and whose completeness tests/web/test_every_page.py guards.

A page is a URL name that answers a GET with an HTML page. Each is listed in ``PAGES`` with the roles that
see it and, when its URL takes arguments, how to pick a real object of that role from the demo organisation
(``DemoWorld``); every other URL name of the site is in ``EXCLUDED`` with the reason. A new URL pattern in
neither fails the completeness test, so a new page is checked without anyone remembering to add it.

The Django admin and the JSON API are not own pages (the admin is Django's, the API answers JSON).
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("anonymous", "mentee", "mentor", "organiser")
MEMBERS = ("mentee", "mentor", "organiser")
# The demo site administrator sees only a few pages of their own (company login, SCIM): they are checked
# along the organiser's run (tests/browser/test_every_page.py, ``RIDES_ALONG``), not in a run of their own.
SITE_ADMIN = "site admin"
TODAY = dt.date(2026, 12, 2)
NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
NO_SUCH_PAGE = "/no-such-page/"


@dataclass(frozen=True)
class Page:
    """``url(world, role)`` builds the address of a real object the role may see; None: ``reverse(name)``.
    ``redirects``: the page moves to another address of its own first (a key taken out of the URL);
    ``ready``: a selector to wait for, on a page that draws itself with JavaScript;
    ``shared``: the page shows every signed-in role the same thing (a form, the directory, a skill), so
    the browser checks need to see it signed in only once, as one member role (what differs by role, the
    header's menu, is checked on each role's own pages)."""

    name: str
    roles: tuple[str, ...] = MEMBERS
    url: Callable[[DemoWorld, str], str] | None = None
    status: int = 200
    redirects: bool = False
    ready: str = ""
    shared: bool = False

    def checked_by(self, role: str) -> bool:
        """Whether the browser checks open this page as ``role``. A shared page is opened by one member role,
        the same every run, spread over the roles so that each role's test takes about as long."""
        if not self.shared or role == "anonymous":
            return True
        members = [member for member in self.roles if member != "anonymous"]
        return role == members[zlib.crc32(self.name.encode()) % len(members)]

    def address(self, world: DemoWorld, role: str) -> str:
        return self.url(world, role) if self.url else reverse(self.name)


@dataclass
class DemoWorld:
    """The seeded demo organisation, its three logins and the few objects the demo has none of."""

    users: dict = field(default_factory=dict)  # role -> User
    identity_provider: object = None  # a company login being set up, for the site administrator
    draft: object = None  # an ask the mentee has not sent yet, with the mentor invited as a co-asker
    invite_token: str = ""  # an invitation to a programme the mentee is not in yet
    import_token: str = ""  # the organiser's uploaded, not yet applied, people file
    confirm_email_key: str = ""  # a new person's e-mail confirmation
    reset_password_path: str = ""  # a password reset link from an e-mail


def build_demo_world() -> DemoWorld:
    """Seed the demo organisation (30 people, at ``NOW``: call inside ``time_machine.travel(NOW)``) and add
    what only a flow would create: a programme the mentee is invited to, a draft ask with an invited co-asker, an uploaded people file, an e-mail
    to confirm and a password reset link."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str

    from openhelp.demo.data import MENTEE_EMAIL, MENTOR_EMAIL, ORGANISER_EMAIL, SITE_ADMIN_EMAIL
    from openhelp.demo.services import seed_demo
    from openhelp.directory.programmes.models import MembershipRole
    from openhelp.help.asks.models import CoAskerInvitation
    from openhelp.organisers.imports import services as imports
    from openhelp.platform.accounts.models import User
    from tests.factories_asks import AskFactory
    from tests.factories_programmes import MembershipFactory
    from tests.factories_sso import saml_provider

    seed_demo(people=30, seed=11, today=TODAY, site_admin=True)
    world = DemoWorld(
        users={
            role: User.objects.get(email=email)
            for role, email in (
                ("mentee", MENTEE_EMAIL),
                ("mentor", MENTOR_EMAIL),
                ("organiser", ORGANISER_EMAIL),
                (SITE_ADMIN, SITE_ADMIN_EMAIL),
            )
        }
    )
    world.identity_provider = saml_provider(
        slug="demo-okta", domains=("demo.opentohelp.org",), status="draft"
    )
    mentee, mentor, organiser = (world.users[role] for role in MEMBERS)
    world.draft = AskFactory(mentee=mentee, title="How do I read a query plan?")
    CoAskerInvitation.objects.create(ask=world.draft, invitee=mentor, invited_by=mentee)
    circle = MembershipFactory(
        user=organiser, role=MembershipRole.ORGANISER, programme__name="Design critique circle"
    ).programme
    world.invite_token = circle.invite_token
    people_file = (
        "email,name,team,manager_email,timezone,languages,skills_offered,skills_wanted\n"
        "ines.new@demo.opentohelp.org,Ines New,Data,,Europe/Lisbon,en,PostgreSQL:4,Kubernetes\n"
        "not-an-address,Omar New,Platform,nobody@example.org,Mars/Olympus,xx,k8s:9,\n"
    )
    world.import_token = imports.stage_import(owner=organiser, text=people_file, filename="people.csv").token
    newcomer = User.objects.create_user(email="new.person@example.org", password="not-yet-confirmed")
    address = EmailAddress.objects.create(user=newcomer, email=newcomer.email, primary=True, verified=False)
    world.confirm_email_key = EmailConfirmationHMAC(address).key
    world.reset_password_path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(newcomer), "key": default_token_generator.make_token(newcomer)},
    )
    return world


# --- how each page finds a real object of the role --------------------------------------------------------


def _first(queryset):
    found = queryset.order_by("pk").first()
    assert found is not None, f"the demo organisation has no {queryset.model.__name__} for this page"
    return found


def _ask(world: DemoWorld, role: str):
    from openhelp.help.asks.models import Ask

    return _first(Ask.objects.involving(world.users[role]).exclude(pk=world.draft.pk))


def _open_ask(world: DemoWorld, role: str):
    from openhelp.help.asks.models import Ask, AskState

    return _first(Ask.objects.filter(mentee=world.users[role], state__in=[AskState.OPEN, AskState.OFFERED]))


def _schedulable_ask(world: DemoWorld, role: str):
    """An accepted call waiting for a time if the demo has one, else any ask of the role."""
    from openhelp.help.asks.models import Ask, AskFormat, AskState

    asks = Ask.objects.involving(world.users[role]).exclude(pk=world.draft.pk)
    waiting = asks.filter(state=AskState.ACCEPTED, helper__isnull=False).exclude(format=AskFormat.ASYNC)
    return _first(waiting if waiting.exists() else asks)


def _offer(world: DemoWorld, role: str):
    from openhelp.help.routing.models import Offer

    return _first(Offer.objects.filter(mentor=world.users[role]))


def _block(world: DemoWorld, role: str):
    from openhelp.help.officehours.models import OfficeHours

    return _first(OfficeHours.objects.filter(mentor=world.users[role], is_active=True))


def _open_slot_path(world: DemoWorld, role: str) -> str:
    from openhelp.help.officehours.availability import open_slots, slot_key
    from openhelp.help.officehours.models import OfficeHours
    from openhelp.platform.lib.clock import now

    viewer = world.users[role]
    blocks = (
        OfficeHours.objects.open_to(viewer)
        .filter(is_active=True)
        .exclude(mentor=viewer)
        .select_related("mentor__profile")
        .order_by("pk")
    )
    moment = now()
    for slot in open_slots(list(blocks), start=moment, end=moment + dt.timedelta(days=14), viewer=viewer):
        if not slot.is_full:
            return reverse("officehours:book", args=[slot.office_hours.pk, slot_key(slot.start)])
    raise AssertionError("the demo organisation has no open office-hours slot")


def _booking(world: DemoWorld, role: str):
    from openhelp.help.officehours.models import Booking
    from openhelp.platform.lib.clock import now

    return _first(Booking.objects.involving(world.users[role]).confirmed().filter(start__gt=now()))


def _session(world: DemoWorld, role: str):
    from openhelp.help.mentoring.models import Session

    return _first(Session.objects.involving(world.users[role]))


def _moment(world: DemoWorld, role: str):
    from openhelp.community.moments.models import Moment

    return _first(Moment.objects.filter(author=world.users[role]))


def _introduction(world: DemoWorld, role: str):
    from openhelp.community.moments.models import Introduction

    return _first(Introduction.objects.involving(world.users[role]))


def _goal(world: DemoWorld, role: str):
    from openhelp.community.goals.models import LearningGoal

    return _first(LearningGoal.objects.filter(owner=world.users[role]))


def _programme(world: DemoWorld, role: str):
    from openhelp.directory.programmes.models import Programme

    user = world.users[role]
    if role == "organiser":
        return _first(Programme.objects.organised_by(user))
    return _first(Programme.objects.filter(memberships__user=user))


def _other_person(world: DemoWorld, role: str):
    """Someone the role would thank or look up: the mentor, or for the mentor, the mentee."""
    return world.users["mentee" if role == "mentor" else "mentor"]


def _with(name: str, find: Callable, attribute: str = "pk") -> Callable[[DemoWorld, str], str]:
    return lambda world, role: reverse(name, args=[getattr(find(world, role), attribute)])


def _people_detail(world: DemoWorld, role: str) -> str:
    return reverse("people:detail", args=[_other_person(world, role).profile.pk])


def _skill_detail(world: DemoWorld, role: str) -> str:
    from openhelp.directory.skills.models import Skill

    return reverse("skills:detail", args=[_first(Skill.objects.filter(slug="postgresql")).slug])


def _library_entry(world: DemoWorld, role: str):
    from openhelp.directory.library.models import LibraryEntry

    return _first(LibraryEntry.objects.all())


def _any_block(world: DemoWorld, role: str):
    from openhelp.help.officehours.models import OfficeHours

    return _first(
        OfficeHours.objects.filter(is_active=True, programme__isnull=True).exclude(mentor=world.users[role])
    )


# --- the list ---------------------------------------------------------------------------------------------

PAGES: list[Page] = [
    # the front door and accounts (allauth)
    Page("today:home", ROLES),
    Page("today:search", MEMBERS, lambda world, role: reverse("today:search") + "?q=postgres", shared=True),
    Page("account_login", ("anonymous",)),
    Page("account_signup", ("anonymous",)),
    Page("account_reset_password", ROLES, shared=True),
    Page("account_reset_password_done", ("anonymous",)),
    Page(
        "account_reset_password_from_key",
        ("anonymous",),
        lambda world, role: world.reset_password_path,
        redirects=True,
    ),
    Page("account_reset_password_from_key_done", ("anonymous",)),
    Page(
        "account_confirm_email",
        ("anonymous",),
        lambda world, role: reverse("account_confirm_email", args=[world.confirm_email_key]),
    ),
    Page("account_email_verification_sent", ("anonymous",)),
    Page("account_inactive", ("anonymous",)),
    Page("account_reauthenticate", shared=True),
    Page("account_email", shared=True),
    Page("account_change_password", shared=True),
    Page("mfa_index", shared=True),
    Page("mfa_activate_totp", shared=True),
    Page("accounts:settings", shared=True),
    Page("accounts:tokens", shared=True),
    Page("accounts:delete", shared=True),
    Page("api-docs", ("anonymous",), ready=".opblock"),  # Swagger UI, the same signed in or not, no shell
    Page("core:style", ("anonymous", "mentee")),  # the living style guide: the same for every role
    # people and skills
    Page("people:directory", shared=True),
    Page("people:detail", MEMBERS, _people_detail, shared=True),
    Page("people:edit"),
    Page("people:open-to-help"),
    Page("people:learning"),
    Page("skills:list", shared=True),
    Page("skills:detail", MEMBERS, _skill_detail, shared=True),
    Page("skills:propose", shared=True),
    Page("skills:moderation", ("organiser",)),
    Page("routing:ranker", ("organiser",)),
    Page("notifications:list"),
    Page("notifications:preferences", shared=True),
    # asking and helping
    Page("asks:list"),
    Page("asks:new", shared=True),
    Page("asks:detail", MEMBERS, _with("asks:detail", _ask)),
    Page("asks:edit", ("mentee",), lambda world, role: reverse("asks:edit", args=[world.draft.pk])),
    Page("asks:cancel", ("mentee",), _with("asks:cancel", _open_ask)),
    Page(
        "asks:invitation", ("mentor",), lambda world, role: reverse("asks:invitation", args=[world.draft.pk])
    ),
    Page("routing:inbox"),
    Page("routing:offer", ("mentor", "organiser"), _with("routing:offer", _offer)),
    # office hours and sessions
    Page("officehours:mine"),
    Page("officehours:block-new", shared=True),
    Page("officehours:block-edit", ("mentor",), _with("officehours:block-edit", _block)),
    Page("officehours:time-off", shared=True),
    Page("officehours:week", shared=True),
    Page("officehours:mentor", MEMBERS, _with("officehours:mentor", _any_block, "mentor_id"), shared=True),
    Page("officehours:book", MEMBERS, _open_slot_path, shared=True),
    Page("officehours:booking", ("mentee", "mentor"), _with("officehours:booking", _booking)),
    Page("officehours:booking-cancel", ("mentee", "mentor"), _with("officehours:booking-cancel", _booking)),
    Page(
        "officehours:booking-reschedule",
        ("mentee", "mentor"),
        _with("officehours:booking-reschedule", _booking),
    ),
    Page("officehours:calendar"),
    Page(
        "officehours:ask-schedule", ("mentee", "mentor"), _with("officehours:ask-schedule", _schedulable_ask)
    ),
    Page("mentoring:list"),
    Page("mentoring:detail", MEMBERS, _with("mentoring:detail", _session)),
    Page("mentoring:debrief", MEMBERS, _with("mentoring:debrief", _session)),
    Page("mentoring:organiser", ("organiser",)),
    # recognition and learning
    Page("recognition:feed", shared=True),
    Page("recognition:mine"),
    Page("recognition:given"),
    Page(
        "recognition:give",
        MEMBERS,
        lambda world, role: reverse("recognition:give", args=[_other_person(world, role).pk]),
        shared=True,
    ),
    Page("moments:list"),
    Page("moments:edit", MEMBERS, _with("moments:edit", _moment)),
    Page("moments:introductions"),
    Page("moments:introduction", MEMBERS, _with("moments:introduction", _introduction)),
    Page("library:list", shared=True),
    Page("library:detail", MEMBERS, _with("library:detail", _library_entry), shared=True),
    Page("goals:list"),
    Page("goals:new", shared=True),
    Page("goals:detail", ("mentee", "mentor"), _with("goals:detail", _goal)),
    Page("goals:edit", ("mentee", "mentor"), _with("goals:edit", _goal)),
    # organising
    Page("programmes:list"),
    Page("programmes:new", ("organiser",)),
    Page("programmes:detail", MEMBERS, _with("programmes:detail", _programme, "slug")),
    Page("programmes:edit", ("organiser",), _with("programmes:edit", _programme, "slug")),
    Page("programmes:members", ("organiser",), _with("programmes:members", _programme, "slug")),
    Page(
        "programmes:join-token",
        ("mentee",),
        lambda world, role: reverse("programmes:join-token", args=[world.invite_token]),
    ),
    Page("insights:dashboard", ("organiser",)),
    Page("network:flow", ("organiser",)),
    Page("network:knowledge-nodes", ("organiser",)),
    Page("network:my-name", shared=True),
    Page("calendars:settings", shared=True),
    Page("imports:upload", ("organiser",)),
    Page("webhooks:list", ("organiser",)),
    Page("webhooks:new", ("organiser",)),
    Page("core:integrations", ("organiser",)),
    Page("slack:settings", shared=True),
    Page("slack:workspaces", ("organiser",)),
    Page("matrix:settings", shared=True),
    Page("matrix:bot", ("organiser",)),
    Page("sso:company-login", ("anonymous",)),
    Page("sso:provider-list", (SITE_ADMIN,)),
    Page("sso:provider-create", (SITE_ADMIN,)),
    Page(
        "sso:provider-detail",
        (SITE_ADMIN,),
        _with("sso:provider-detail", lambda world, role: world.identity_provider),
    ),
    Page("provisioning-web:tokens", (SITE_ADMIN,)),
    Page("socialaccount_connections", shared=True),
    Page("socialaccount_login_cancelled", ("anonymous",)),
    Page("socialaccount_login_error", ("anonymous",), status=401),
    Page(
        "imports:preview",
        ("organiser",),
        lambda world, role: reverse("imports:preview", args=[world.import_token]),
    ),
]

# The page every unknown address answers, with and without the signed-in shell.
NOT_FOUND = Page("404", ("anonymous", "mentee"), lambda world, role: NO_SUCH_PAGE, status=404)


SLACK_ENDPOINTS = ("slack:events", "slack:interactions", "slack:commands")
SCIM_NAMES = tuple(
    f"provisioning:{name}"
    for name in (
        "users",
        "user",
        "groups",
        "group",
        "service-provider-config",
        "resource-types",
        "resource-type",
        "schemas",
        "schema",
    )
)
SSO_STEPS = (
    "openid_connect_login",
    "openid_connect_callback",
    "saml_login",
    "saml_acs",
    "saml_finish_acs",
    "saml_sls",
)

# URL names that are not an HTML page of their own, or that no demo role can reach by a GET, with the reason.
_POST_ONLY = "an action: POST only, a GET answers 405 or redirects"
_DOWNLOAD = "a download, a feed or JSON, not an HTML page"
_REDIRECT = "redirects to a page of the list"
EXCLUDED: dict[str, str] = {
    **{
        name: _POST_ONLY
        for name in (
            "account_logout",
            "accounts:token-revoke",
            "asks:preview",
            "core:theme",
            "asks:publish",
            "asks:reroute",
            "asks:message",
            "asks:answered",
            "asks:complete",
            "asks:follow-up",
            "asks:schedule",
            "asks:co-askers",
            "asks:invitation-answer",
            "asks:leave",
            "goals:achieved",
            "goals:delete",
            "imports:apply",
            "library:withdraw",
            "mentoring:plan",
            "mentoring:lift-pause",
            "mentoring:agenda-template",
            "mentoring:agenda-step-add",
            "mentoring:agenda-step-tick",
            "mentoring:shared-notes",
            "mentoring:private-notes",
            "mentoring:attendance",
            "recognition:endorse",
            "mfa_generate_recovery_codes",
            "moments:delete",
            "moments:introduction-answer",
            "moments:introduction-message",
            "network:recompute",
            "notifications:read",
            "notifications:read-all",
            "officehours:block-preview",
            "officehours:block-delete",
            "officehours:time-off-delete",
            "officehours:waitlist-join",
            "officehours:waitlist-leave",
            "officehours:calendar-rotate",
            "programmes:join",
            "programmes:accept",
            "programmes:leave",
            "programmes:add-members",
            "programmes:set-role",
            "programmes:remove-member",
            "programmes:rotate-invite",
            "routing:accept",
            "routing:decline",
            "routing:pause",
            "routing:resume",
            "routing:ranker-switch",
            "skills:approve",
            "skills:reject",
            "skills:rename",
            "skills:merge",
        )
    },
    **{
        name: _DOWNLOAD
        for name in (
            "api-schema",
            "asks:suggest-skills",
            "core:healthz",
            "imports:export",
            "insights:download",
            "library:suggestions",
            "mentoring:export",
            "mfa_download_recovery_codes",
            "network:flow-csv",
            "network:knowledge-nodes-csv",
            "officehours:booking-ics",
            "officehours:feed",
            "routing:suggestions",
            "skills:autocomplete",
        )
    },
    **{
        name: _POST_ONLY
        for name in ("webhooks:enable", "webhooks:test", "webhooks:rotate", "webhooks:replay")
    },
    **{
        name: _POST_ONLY
        for name in ("calendars:connect", "calendars:choose", "calendars:sync", "calendars:disconnect")
    },
    **{
        name: _POST_ONLY
        for name in (
            "slack:find-me",
            "slack:unlink",
            "slack:preferences",
            "slack:workspace-update",
            "matrix:unlink",
            "provisioning-web:token-revoke",
            "sso:provider-check",
        )
    },
    **{name: "Slack's signed HTTP endpoint (Slack POSTs to it)" for name in SLACK_ENDPOINTS},
    **{name: "the SCIM 2.0 API for identity providers (JSON, bearer token)" for name in SCIM_NAMES},
    **{name: "a step of a company login, between us and the identity provider" for name in SSO_STEPS},
    "slack:install": "redirects to Slack's page for adding the app",
    "slack:oauth-callback": "Slack's redirect back after adding the app, with a one-time code",
    "slack:confirm-link": "needs a link sent in Slack (tests/slack renders it)",
    "matrix:confirm-link": "needs a link sent in Matrix (tests/matrix renders it)",
    "saml_metadata": _DOWNLOAD,
    "socialaccount_signup": "only half-way through a company login",
    **{
        name: "needs a webhook endpoint, which the demo has none of (tests/webhooks/test_web.py renders it)"
        for name in ("webhooks:detail", "webhooks:edit", "webhooks:delete")
    },
    "people:me": _REDIRECT + " (the person's own profile)",
    "mentoring:for-ask": _REDIRECT + " (the ask's session)",
    "officehours:booking-session": _REDIRECT + " (the booking's session)",
    "core:home": "shadowed by today:home at the same address",
    "account_set_password": "only for a person without a password (a company login); redirects the demo roles",
    "account_confirm_login_code": "login by e-mailed code is switched off; redirects to the login",
    "mfa_authenticate": "only half-way through a login with two-factor on; redirects otherwise",
    "mfa_reauthenticate": "only with two-factor on, which no demo role has",
    "mfa_deactivate_totp": "only with two-factor on, which no demo role has",
    "mfa_view_recovery_codes": "only with two-factor on, which no demo role has",
}


def pages_of(role: str) -> list[Page]:
    return [page for page in [*PAGES, NOT_FOUND] if role in page.roles]


def site_page_names() -> set[str]:
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


def unlisted_names() -> list[str]:
    """URL names neither in ``PAGES`` nor in ``EXCLUDED``."""
    return sorted(site_page_names() - {page.name for page in PAGES} - set(EXCLUDED))


def unknown_names() -> list[str]:
    """Names in ``PAGES`` or ``EXCLUDED`` that are no URL of the site any more."""
    return sorted(({page.name for page in PAGES} | set(EXCLUDED)) - site_page_names())
