"""Read calendars the way clients do: five independent iCalendar readers, each reduced to the same plain
reading (UTC instants, unescaped text, CN parameters) so the tests can ask whether they all agree.

- ``strict``: tests/officehours/ical_strict.py, the picky RFC 5545 reader written for these tests;
- ``icalendar`` and ``vobject``: the two Python libraries (both in the virtualenv);
- ``ical.js`` and ``node-ical``: the JavaScript libraries behind many web and desktop clients, run by
  tests/officehours/ical_readers.cjs under Node.js. scripts/ensure_node_ical.sh installs them (pinned)
  into .venv/node-ical once; ``make test`` calls it, and so does the first reading here.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import icalendar
import vobject

from . import ical_strict

ROOT = Path(__file__).resolve().parent.parent.parent
NODE_ICAL_DIR = ROOT / os.environ.get("NODE_ICAL_DIR", ".venv/node-ical")
NODE_SCRIPT = Path(__file__).with_name("ical_readers.cjs")
READERS = ("strict", "icalendar", "vobject", "ical.js", "node-ical")


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    status: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str
    location: str | None
    organizer_cn: str | None
    attendee_cns: tuple[str | None, ...]


@dataclass(frozen=True)
class Reading:
    method: str | None
    name: str | None
    events: tuple[Event, ...]


def ensure_node_ical() -> Path:
    """The node_modules directory holding ical.js and node-ical; installs them once (a lock keeps
    parallel test workers from running npm together)."""
    lock_path = ROOT / "data" / ".node-ical-install.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(["sh", str(ROOT / "scripts" / "ensure_node_ical.sh")], check=True, timeout=600)
    return NODE_ICAL_DIR / "node_modules"


def _utc(value) -> dt.datetime:
    assert isinstance(value, dt.datetime) and value.tzinfo is not None, f"not an aware date-time: {value!r}"
    return value.astimezone(dt.UTC)


def _sorted(events: list[Event]) -> tuple[Event, ...]:
    return tuple(sorted(events, key=lambda e: (e.start, e.uid)))


def read_strict(data: bytes) -> Reading:
    cal = ical_strict.parse(data)

    def cn(prop) -> str | None:
        return prop.params.get("CN")

    events = []
    for event in cal.walk("VEVENT"):
        location = event.all("LOCATION")
        organizer = event.all("ORGANIZER")
        events.append(
            Event(
                uid=event.one("UID").value,
                sequence=int(event.one("SEQUENCE").value),
                status=event.one("STATUS").value,
                start=_utc(ical_strict.date_time(event.one("DTSTART"))),
                end=_utc(ical_strict.date_time(event.one("DTEND"))),
                summary=event.one("SUMMARY").value,
                description=event.one("DESCRIPTION").value,
                location=location[0].value if location else None,
                organizer_cn=cn(organizer[0]) if organizer else None,
                attendee_cns=tuple(cn(p) for p in event.all("ATTENDEE")),
            )
        )
    method, name = cal.all("METHOD"), cal.all("X-WR-CALNAME")
    return Reading(
        method=method[0].value if method else None,
        name=name[0].value if name else None,
        events=_sorted(events),
    )


def read_icalendar(data: bytes) -> Reading:
    cal = icalendar.Calendar.from_ical(data)

    def cn(prop) -> str | None:
        return None if prop is None else prop.params.get("CN")

    events = []
    for event in cal.walk("VEVENT"):
        attendees = event.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        location = event.get("LOCATION")
        events.append(
            Event(
                uid=str(event["UID"]),
                sequence=int(event["SEQUENCE"]),
                status=str(event["STATUS"]),
                start=_utc(event["DTSTART"].dt),
                end=_utc(event["DTEND"].dt),
                summary=str(event["SUMMARY"]),
                description=str(event["DESCRIPTION"]),
                location=None if location is None else str(location),
                organizer_cn=cn(event.get("ORGANIZER")),
                attendee_cns=tuple(cn(a) for a in attendees),
            )
        )
    method, name = cal.get("METHOD"), cal.get("X-WR-CALNAME")
    return Reading(
        method=None if method is None else str(method),
        # icalendar has no type for X-WR-CALNAME, so it hands back the escaped text.
        name=None if name is None else ical_strict.unescape_text("X-WR-CALNAME", str(name)),
        events=_sorted(events),
    )


def read_vobject(data: bytes) -> Reading:
    cal = vobject.readOne(data.decode("utf-8"))

    def cn(line) -> str | None:
        values = line.params.get("CN")
        return values[0] if values else None

    def first(component, name: str):
        found = component.contents.get(name, [])
        return found[0] if found else None

    events = []
    for event in cal.contents.get("vevent", []):
        location, organizer = first(event, "location"), first(event, "organizer")
        events.append(
            Event(
                uid=event.uid.value,
                sequence=int(event.sequence.value),
                status=event.status.value,
                start=_utc(event.dtstart.value),
                end=_utc(event.dtend.value),
                summary=event.summary.value,
                description=event.description.value,
                location=None if location is None else location.value,
                organizer_cn=None if organizer is None else cn(organizer),
                attendee_cns=tuple(cn(a) for a in event.contents.get("attendee", [])),
            )
        )
    method, name = first(cal, "method"), first(cal, "x-wr-calname")
    return Reading(
        method=None if method is None else method.value,
        name=None if name is None else name.value,
        events=_sorted(events),
    )


def _from_json(reading: dict) -> Reading:
    if "error" in reading:
        raise AssertionError(reading["error"])
    events = [
        Event(
            uid=e["uid"],
            sequence=int(e["sequence"]),
            status=e["status"],
            start=dt.datetime.fromisoformat(e["start"]),
            end=dt.datetime.fromisoformat(e["end"]),
            summary=e["summary"],
            description=e["description"],
            location=e["location"],
            organizer_cn=e["organizer_cn"],
            attendee_cns=tuple(e["attendee_cns"]),
        )
        for e in reading["events"]
    ]
    calendar = reading["calendar"]
    return Reading(method=calendar["method"], name=calendar["name"], events=_sorted(events))


def read_with_node(calendars: dict[str, bytes]) -> dict[str, dict[str, Reading]]:
    """{label: {"ical.js": Reading, "node-ical": Reading}} for every calendar, in one Node.js run."""
    node = shutil.which("node")
    assert node, "Node.js is needed for the calendar reader tests (ical.js, node-ical)"
    modules = ensure_node_ical()
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for n, (label, data) in enumerate(calendars.items()):
            path = Path(folder) / f"{n}.ics"
            path.write_bytes(data)
            paths[str(path)] = label
        done = subprocess.run(
            [node, str(NODE_SCRIPT), str(modules), *paths],
            check=True,
            capture_output=True,
            timeout=120,
        )
    found = json.loads(done.stdout)
    return {
        paths[path]: {reader: _from_json(reading) for reader, reading in readings.items()}
        for path, readings in found.items()
    }


def read_everywhere(calendars: dict[str, bytes]) -> dict[str, dict[str, Reading]]:
    """{label: {reader: Reading}} for every calendar and every one of the five readers."""
    node = read_with_node(calendars)
    return {
        label: {
            "strict": read_strict(data),
            "icalendar": read_icalendar(data),
            "vobject": read_vobject(data),
            **node[label],
        }
        for label, data in calendars.items()
    }
