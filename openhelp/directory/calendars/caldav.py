"""A small CalDAV client (RFC 4791, RFC 6578) over ``outbound.send``: just what busy times and write-back
need, so its failures can be explained to a person in their words rather than a library's.

Discovery follows the standard path: PROPFIND ``current-user-principal`` on the URL the person gave, then
``calendar-home-set`` on the principal, then the calendars in the home (Depth 1). Reading uses a
``calendar-query`` with a time range (the whole window) or, where the server supports it, a
``sync-collection`` report from the last sync token (only what changed). Writing is a PUT of one event
per booking at a name derived from its UID, so a retry overwrites the same resource instead of adding one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element  # noqa: S405 - only the type; parsing goes through defusedxml

import requests
from defusedxml.ElementTree import ParseError, fromstring  # type: ignore[import-untyped]

from openhelp.directory.calendars import outbound

DAV = "{DAV:}"
CALDAV = "{urn:ietf:params:xml:ns:caldav}"
CS = "{http://calendarserver.org/ns/}"
MAX_REDIRECTS = 3


class CalDAVError(Exception):
    """A failure worth telling the person about; ``code`` says which kind."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SyncTokenExpired(CalDAVError):
    """The server no longer knows our sync token: a full refresh is needed."""


@dataclass(frozen=True)
class Calendar:
    url: str
    name: str


@dataclass(frozen=True)
class Resource:
    href: str  # absolute URL
    etag: str
    data: str | None  # the iCalendar text, None when the server did not send it


@dataclass(frozen=True)
class Changes:
    token: str
    changed: list[Resource]
    deleted: list[str]  # absolute URLs


def _fmt(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


class Client:
    def __init__(self, *, username: str, password: str) -> None:
        self.auth = (username, password)
        self.last_root: Element = Element("none")

    # --- plumbing ---------------------------------------------------------------------------------

    def request(
        self, method: str, url: str, *, body: str | None = None, headers: dict[str, str] | None = None
    ) -> outbound.Response:
        try:
            response = outbound.send(method, url, auth=self.auth, headers=headers, body=body)
            # Reads may be redirected (``/.well-known/caldav`` is, by design): each hop is a new checked
            # request, so a redirect cannot lead past the address rules. Writes are never redirected.
            for _ in range(MAX_REDIRECTS if method in {"PROPFIND", "REPORT"} else 0):
                location = response.headers.get("Location") or response.headers.get("location")
                if response.status_code not in {301, 302, 307, 308} or not location:
                    break
                url = urljoin(url, location)
                response = outbound.send(method, url, auth=self.auth, headers=headers, body=body)
        except outbound.BlockedDestination as exc:
            raise CalDAVError(
                "blocked", "That address belongs to an internal network or this machine; it cannot be used."
            ) from exc
        except outbound.TooLarge as exc:
            raise CalDAVError("too_large", "The calendar answered with more data than we accept.") from exc
        except requests.RequestException as exc:
            raise CalDAVError(
                "unreachable", "We could not reach that server. Check the address and try again."
            ) from exc
        if response.status_code == 401:
            raise CalDAVError(
                "auth", "The server refused the user name or password. Use an app password if you have one."
            )
        if response.status_code == 403:
            raise CalDAVError("forbidden", "The server does not let this account use that calendar.")
        return response

    def xml(self, method: str, url: str, body: str, *, depth: str) -> list[tuple[str, Element]]:
        """(absolute href, the properties found with status 200) of each response of a multistatus."""
        response = self.request(
            method,
            url,
            body=body,
            headers={"Depth": depth, "Content-Type": "application/xml; charset=utf-8"},
        )
        return self.parse(response, url)

    def parse(self, response: outbound.Response, url: str) -> list[tuple[str, Element]]:
        if response.status_code != 207:
            raise CalDAVError("not_caldav", "This address does not look like a CalDAV server.")
        try:
            root = fromstring(response.content)
        except ParseError as exc:
            raise CalDAVError("not_caldav", "The server answered with something that is not CalDAV.") from exc
        self.last_root = root
        found = []
        for item in root.findall(f"{DAV}response"):
            href = item.findtext(f"{DAV}href") or ""
            prop = Element(f"{DAV}prop")
            for propstat in item.findall(f"{DAV}propstat"):
                found_prop = propstat.find(f"{DAV}prop")
                if found_prop is not None and " 200 " in (propstat.findtext(f"{DAV}status") or " 200 "):
                    for child in list(found_prop):
                        prop.append(child)
            if " 404 " in (item.findtext(f"{DAV}status") or ""):
                prop.set("deleted", "1")
            found.append((urljoin(url, href.strip()), prop))
        return found

    # --- discovery --------------------------------------------------------------------------------

    def discover(self, url: str) -> list[Calendar]:
        """The calendars (of events) this account can see from ``url``."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" '
            'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:current-user-principal/>'
            "<c:calendar-home-set/><d:resourcetype/></d:prop></d:propfind>"
        )
        try:
            rows = self.xml("PROPFIND", url, body, depth="0")
        except CalDAVError as error:
            # A site's address rather than its CalDAV root: RFC 6764's well-known address leads there.
            well_known = urljoin(url, "/.well-known/caldav")
            if error.code != "not_caldav" or well_known == url:
                raise
            try:
                rows = self.xml("PROPFIND", well_known, body, depth="0")
            except CalDAVError:
                raise error from None
        home = url
        if rows:
            prop = rows[0][1]
            principal = prop.findtext(f"{DAV}current-user-principal/{DAV}href")
            home_href = prop.findtext(f"{CALDAV}calendar-home-set/{DAV}href")
            if home_href is None and principal:
                principal_url = urljoin(url, principal.strip())
                rows = self.xml("PROPFIND", principal_url, body, depth="0")
                home_href = rows[0][1].findtext(f"{CALDAV}calendar-home-set/{DAV}href") if rows else None
            if home_href:
                home = urljoin(url, home_href.strip())
        listing = (
            '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" '
            'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:resourcetype/><d:displayname/>'
            "<c:supported-calendar-component-set/></d:prop></d:propfind>"
        )
        calendars = []
        for href, prop in self.xml("PROPFIND", home, listing, depth="1"):
            if prop.find(f"{DAV}resourcetype/{CALDAV}calendar") is None:
                continue
            components = prop.find(f"{CALDAV}supported-calendar-component-set")
            if (
                components is not None
                and len(components)
                and not any(comp.get("name") == "VEVENT" for comp in components)
            ):
                continue  # a task list or a journal
            name = (prop.findtext(f"{DAV}displayname") or "").strip()
            calendars.append(Calendar(url=href, name=name or urlsplit(href).path.rstrip("/").split("/")[-1]))
        if not calendars:
            raise CalDAVError("no_calendars", "We found no calendar for events on this account.")
        return calendars

    # --- reading ----------------------------------------------------------------------------------

    def state(self, calendar_url: str) -> tuple[str, str]:
        """(sync token, ctag) of a calendar; either may be empty when the server does not offer it."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" '
            'xmlns:cs="http://calendarserver.org/ns/"><d:prop><d:sync-token/><cs:getctag/></d:prop></d:propfind>'
        )
        rows = self.xml("PROPFIND", calendar_url, body, depth="0")
        if not rows:
            return "", ""
        prop = rows[0][1]
        return (prop.findtext(f"{DAV}sync-token") or "").strip(), (
            prop.findtext(f"{CS}getctag") or ""
        ).strip()

    def events_between(self, calendar_url: str, start: dt.datetime, end: dt.datetime) -> list[Resource]:
        """Every event resource with an instance in [start, end) (the server expands recurrences to decide)."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" '
            'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>'
            '<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">'
            f'<c:time-range start="{_fmt(start)}" end="{_fmt(end)}"/>'
            "</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"
        )
        return [_resource(href, prop) for href, prop in self.xml("REPORT", calendar_url, body, depth="1")]

    def changes_since(self, calendar_url: str, token: str) -> Changes:
        """What changed since ``token`` (RFC 6578). SyncTokenExpired when the server forgot the token."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:" '
            'xmlns:c="urn:ietf:params:xml:ns:caldav">'
            f"<d:sync-token>{_escape(token)}</d:sync-token><d:sync-level>1</d:sync-level>"
            "<d:prop><d:getetag/><c:calendar-data/></d:prop></d:sync-collection>"
        )
        try:
            response = self.request(
                "REPORT",
                calendar_url,
                body=body,
                headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            )
        except CalDAVError as error:
            # RFC 6578 answers an unknown token with 403 (valid-sync-token); a real refusal shows again
            # in the full refresh that follows.
            if error.code != "forbidden":
                raise
            raise SyncTokenExpired("sync_token", "The server no longer knows our sync token.") from error
        if response.status_code in {409, 412} or (
            response.status_code != 207 and b"valid-sync-token" in response.content
        ):
            raise SyncTokenExpired("sync_token", "The server no longer knows our sync token.")
        rows = self.parse(response, calendar_url)
        new_token = (self.last_root.findtext(f"{DAV}sync-token") or "").strip()
        changed, deleted = [], []
        for href, prop in rows:
            if href.rstrip("/") == calendar_url.rstrip("/"):
                continue
            if prop.get("deleted"):
                deleted.append(href)
            else:
                changed.append(_resource(href, prop))
        missing = [item.href for item in changed if item.data is None]
        if missing:
            fetched = {item.href: item for item in self.multiget(calendar_url, missing)}
            changed = [fetched.get(item.href, item) for item in changed]
        return Changes(token=new_token, changed=changed, deleted=deleted)

    def multiget(self, calendar_url: str, hrefs: list[str]) -> list[Resource]:
        paths = "".join(f"<d:href>{_escape(urlsplit(href).path)}</d:href>" for href in hrefs)
        body = (
            '<?xml version="1.0" encoding="utf-8"?><c:calendar-multiget xmlns:d="DAV:" '
            'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>'
            f"{paths}</c:calendar-multiget>"
        )
        return [_resource(href, prop) for href, prop in self.xml("REPORT", calendar_url, body, depth="1")]

    # --- writing ----------------------------------------------------------------------------------

    def put(self, url: str, ics: bytes, *, create: bool) -> None:
        """Create (If-None-Match: *) or replace the event at ``url``. Creating over an existing one (a
        retry whose first answer was lost) replaces it: the name is the key, never a second event."""
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if create:
            headers["If-None-Match"] = "*"
        response = self.request("PUT", url, body=ics.decode(), headers=headers)
        if create and response.status_code == 412:
            del headers["If-None-Match"]
            response = self.request("PUT", url, body=ics.decode(), headers=headers)
        if response.status_code not in {200, 201, 204}:
            raise CalDAVError("write", f"The server refused the event (HTTP {response.status_code}).")

    def delete(self, url: str) -> None:
        response = self.request("DELETE", url)
        if response.status_code not in {200, 204, 404, 410}:
            raise CalDAVError(
                "write", f"The server refused to delete the event (HTTP {response.status_code})."
            )


def _resource(href: str, prop: Element) -> Resource:
    data = prop.findtext(f"{CALDAV}calendar-data")
    return Resource(href=href, etag=(prop.findtext(f"{DAV}getetag") or "").strip(), data=data or None)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
