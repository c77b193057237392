"""What every page's shell reads: the site name, the unread count and the grouped navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    icon: str
    # What makes this link the current page: a view name ("asks:new") or a whole app ("asks:").
    # An exact view name wins over an app, so "New ask" is current on asks:new and "My asks" elsewhere.
    matches: tuple[str, ...]


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    icon: str
    links: tuple[NavLink, ...]
    organisers_only: bool = False


# Grouped by what people come to do. URL names only: core sits below every app and imports none.
NAVIGATION: tuple[NavGroup, ...] = (
    NavGroup(
        "get-help",
        "Get help",
        "lifebuoy",
        (
            NavLink("New ask", "asks:new", "pencil-square", ("asks:new",)),
            NavLink("My asks", "asks:list", "chat-bubble-left-right", ("asks:",)),
            NavLink("Office hours", "officehours:week", "calendar-days", ("officehours:",)),
            NavLink("People", "people:directory", "users", ("people:directory", "people:detail")),
        ),
    ),
    NavGroup(
        "help-others",
        "Help others",
        "hand-raised",
        (
            NavLink("Inbox", "routing:inbox", "inbox", ("routing:",)),
            NavLink("My sessions", "mentoring:list", "video-camera", ("mentoring:",)),
            NavLink(
                "My office hours",
                "officehours:mine",
                "clock",
                (
                    "officehours:mine",
                    "officehours:block-new",
                    "officehours:block-preview",
                    "officehours:block-edit",
                    "officehours:block-delete",
                    "officehours:time-off",
                    "officehours:time-off-delete",
                ),
            ),
            NavLink(
                "Open to help settings",
                "people:open-to-help",
                "adjustments-horizontal",
                ("people:open-to-help",),
            ),
        ),
    ),
    NavGroup(
        "learn",
        "Learn",
        "academic-cap",
        (
            NavLink("Library", "library:list", "book-open", ("library:",)),
            NavLink("Skills", "skills:list", "tag", ("skills:",)),
            NavLink("Goals", "goals:list", "flag", ("goals:",)),
            NavLink("Moments", "moments:list", "sparkles", ("moments:",)),
            NavLink("Kudos", "recognition:feed", "heart", ("recognition:",)),
        ),
    ),
    NavGroup(
        "organise",
        "Organise",
        "chart-bar",
        (
            NavLink("Insights", "insights:dashboard", "chart-bar", ("insights:",)),
            NavLink("Network", "network:flow", "share", ("network:",)),
            NavLink("Programmes", "programmes:list", "user-group", ("programmes:",)),
            NavLink("Import people", "imports:upload", "arrow-up-tray", ("imports:",)),
            NavLink("Moderate skills", "skills:moderation", "shield-check", ("skills:moderation",)),
            NavLink("Learned matching", "routing:ranker", "adjustments-horizontal", ("routing:ranker",)),
            NavLink(
                "Integrations",
                "core:integrations",
                "puzzle-piece",
                (
                    "core:integrations",
                    "webhooks:",
                    "sso:provider",
                    "provisioning-web:",
                    "slack:workspaces",
                    "matrix:bot",
                ),
            ),
        ),
        organisers_only=True,
    ),
)

# The user menu (people who are not organisers reach their programmes here, organisers under Organise).
USER_MENU: tuple[NavLink, ...] = (
    NavLink("My profile", "people:me", "user-circle", ("people:me", "people:edit", "people:learning")),
    NavLink("My programmes", "programmes:list", "user-group", ("programmes:",)),
    NavLink("Settings", "accounts:settings", "cog-6-tooth", ("accounts:", "notifications:preferences")),
)


def _current_view(request) -> tuple[str, str]:
    # A view may say its page belongs with another (``request.nav_view = "routing:inbox"``): an ask is the
    # mentee's under "My asks", but the expert helping with it came from their inbox.
    nav_view = getattr(request, "nav_view", None)
    if nav_view:
        return nav_view, nav_view.split(":")[0] + ":"
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", ""
    return match.view_name, f"{match.app_name}:" if match.app_name else ""


def _is_current(link: NavLink, view_name: str, app: str, claimed: set[str]) -> bool:
    if view_name in link.matches:
        return True
    return bool(app) and app in link.matches and view_name not in claimed


def navigation(request) -> dict:
    """The navigation for this person, each link with its URL and whether it is the current page."""
    user = request.user
    organiser = bool(getattr(user, "is_organiser", False))
    view_name, app = _current_view(request)
    every_link = [link for group in NAVIGATION for link in group.links] + list(USER_MENU)
    claimed = {name for link in every_link for name in link.matches if not name.endswith(":")}

    def entry(link: NavLink) -> dict:
        return {
            "label": link.label,
            "url": reverse(link.url_name),
            "icon": link.icon,
            "current": _is_current(link, view_name, app, claimed),
        }

    groups = []
    for group in NAVIGATION:
        if group.organisers_only and not organiser:
            continue
        links = [entry(link) for link in group.links]
        groups.append(
            {
                "key": group.key,
                "label": group.label,
                "icon": group.icon,
                "links": links,
                "current": any(link["current"] for link in links),
            }
        )
    # Organisers find Programmes under Organise; one current link per page, so drop it here.
    user_menu = [entry(link) for link in USER_MENU if not (organiser and link.url_name == "programmes:list")]
    return {
        "groups": groups,
        "user_menu": user_menu,
        "notifications_current": app == "notifications:" and view_name != "notifications:preferences",
    }


def site(request):
    unread = 0
    nav = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True, show_in_app=True).count()
        nav = SimpleLazyObject(lambda: navigation(request))
    return {"SITE_NAME": settings.SITE_NAME, "unread_notifications": unread, "nav": nav}
