#!/usr/bin/env python
"""Load driver: many seeded people at once against a running Open to Help, a realistic mix of pages and
API calls, per page/endpoint p50/p95/p99 (server time from ``Server-Timing`` and client time), errors by
status (5xx apart) and throughput.

    .venv/bin/python -m bench.load.driver --base-url http://127.0.0.1:8000 --users 40 --duration 60 \
        --concurrency 8 --json data/load.json

Each virtual client logs in through the real login form as one seeded person (the demo organiser is one
of them: insights are hers), then loops: picks an action by weight, runs it, waits ``--think`` seconds.
Reads and writes both: the home page (Today), the directory and skill pages, people search, the people
API, writing and publishing asks, accepting offers, booking office-hours slots, session notes,
debriefs, kudos, insights. A write the product refuses for a good reason (a slot just taken, kudos rate
limited, a debrief already written) is counted under its 4xx status; 5xx and no answer are failures.
Production cookies are ``Secure``; like ``bench/run.py`` the driver sends ``X-Forwarded-Proto: https``
(a TLS proxy is assumed) and keeps the cookies itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.load.stats import Sample, server_ms, summarise, table  # noqa: E402
from openhelp.demo.data import DEMO_PASSWORD  # noqa: E402
from openhelp.demo.data import ORGANISER_EMAIL as ORGANISER  # noqa: E402

PROXY = {"X-Forwarded-Proto": "https"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCH_TERMS = ["postgres", "python", "design", "kubernetes", "react", "data", "go", "sql", "priya", "sam"]


@dataclass
class User:
    email: str
    cookies: dict[str, str] = field(default_factory=dict)
    user_id: int | None = None
    organiser: bool = False


@dataclass
class World:
    """What the clients learn once at the start: skill slugs (popular first) and some people."""

    skills: list[str] = field(default_factory=list)
    skill_ids: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)  # profile ids (pages /people/<id>/)
    users: list[int] = field(default_factory=list)  # user ids of the people logged in (kudos receivers)


class Client:
    def __init__(self, http: httpx.AsyncClient, base: str, *, behind_tls_proxy: bool = True):
        self.http = http
        self.base = base.rstrip("/")
        # Behind a TLS proxy (production settings trust X-Forwarded-Proto) the browser's origin is https.
        self.origin = self.base.replace("http://", "https://", 1) if behind_tls_proxy else self.base
        self.proxy_headers = PROXY if behind_tls_proxy else {}
        self.samples: list[Sample] = []
        self.recording = False

    async def call(
        self, user: User, name: str, method: str, path: str, *, body=None, form=None
    ) -> httpx.Response | None:
        headers = {**self.proxy_headers}
        if user.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in user.cookies.items())
        if method != "GET":
            headers["X-CSRFToken"] = user.cookies.get("csrftoken", "")
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + "/"
        started = time.perf_counter()
        try:
            response = await self.http.request(
                method, self.base + path, headers=headers, json=body, data=form, follow_redirects=False
            )
        except httpx.HTTPError as exc:
            self._record(Sample(name, 0, (time.perf_counter() - started) * 1000, None, repr(exc)[:200]))
            return None
        elapsed = (time.perf_counter() - started) * 1000
        self._record(
            Sample(name, response.status_code, elapsed, server_ms(response.headers.get("server-timing")))
        )
        for raw in response.headers.get_list("set-cookie"):
            key, _, value = raw.split(";", 1)[0].partition("=")
            if value:
                user.cookies[key.strip()] = value.strip()
        return response

    def _record(self, sample: Sample) -> None:
        if self.recording:
            self.samples.append(sample)


async def log_in(client: Client, email: str, password: str = DEMO_PASSWORD) -> User:
    user = User(email=email, organiser=email == ORGANISER)
    page = await client.call(user, "login form", "GET", "/accounts/login/")
    found = CSRF_INPUT.search(page.text) if page is not None else None
    if found is None:
        raise RuntimeError(f"no login form for {email}: {page.status_code if page else 'no answer'}")
    done = await client.call(
        user,
        "login",
        "POST",
        "/accounts/login/",
        form={"login": email, "password": password, "csrfmiddlewaretoken": found.group(1)},
    )
    if done is None or done.status_code != 302 or "sessionid" not in user.cookies:
        raise RuntimeError(f"login failed for {email}: {done.status_code if done else 'no answer'}")
    me = await client.call(user, "me", "GET", "/api/v1/me/")
    if me is not None and me.status_code == 200:
        data = me.json()
        user.user_id = _id(data.get("user")) or data.get("id")
    return user


def _id(value) -> int | None:
    if isinstance(value, dict):
        return value.get("id")
    return value if isinstance(value, int) else None


async def learn_world(client: Client, user: User) -> World:
    world = World()
    skills = await client.call(user, "setup", "GET", "/api/v1/skills/?page_size=100")
    if skills is not None and skills.status_code == 200:
        found = _results(skills.json())
        world.skills = [s["slug"] for s in found if s.get("slug")]
        world.skill_ids = [s["id"] for s in found if s.get("id")]
    people = await client.call(user, "setup", "GET", "/api/v1/people/?page_size=100")
    if people is not None and people.status_code == 200:
        for person in _results(people.json()):
            if person.get("id"):
                world.people.append(person["id"])
    return world


def _results(data) -> list[dict]:
    return data.get("results", []) if isinstance(data, dict) else data


# --- The mix: (name, weight, action) ---------------------------------------------------------------

Action = Callable[[Client, User, World, random.Random], Awaitable[None]]


async def home(c: Client, u: User, w: World, rng: random.Random) -> None:
    await c.call(u, "GET / (Today)", "GET", "/")


async def directory(c: Client, u: User, w: World, rng: random.Random) -> None:
    await c.call(u, "GET /people/", "GET", "/people/")


async def directory_search(c: Client, u: User, w: World, rng: random.Random) -> None:
    await c.call(u, "GET /people/?q=", "GET", f"/people/?q={rng.choice(SEARCH_TERMS)}")


async def skill_page(c: Client, u: User, w: World, rng: random.Random) -> None:
    if w.skills:  # popular skills more often (the first ones the API lists)
        slug = rng.choice(w.skills[:15]) if rng.random() < 0.7 else rng.choice(w.skills)
        await c.call(u, "GET /skills/<slug>/", "GET", f"/skills/{slug}/")


async def profile(c: Client, u: User, w: World, rng: random.Random) -> None:
    if w.people:
        await c.call(u, "GET /people/<id>/", "GET", f"/people/{rng.choice(w.people)}/")


async def people_api(c: Client, u: User, w: World, rng: random.Random) -> None:
    await c.call(u, "GET /api/v1/people/", "GET", "/api/v1/people/")


async def people_api_search(c: Client, u: User, w: World, rng: random.Random) -> None:
    await c.call(u, "GET /api/v1/people/?q=", "GET", f"/api/v1/people/?q={rng.choice(SEARCH_TERMS)}")


async def my_pages(c: Client, u: User, w: World, rng: random.Random) -> None:
    path = rng.choice(["/asks/", "/inbox/", "/recognition/", "/notifications/", "/sessions/"])
    await c.call(u, f"GET {path}", "GET", path)


async def write_ask(c: Client, u: User, w: World, rng: random.Random) -> None:
    skill = rng.choice(w.skill_ids[:30]) if w.skill_ids else "Python"
    created = await c.call(
        u,
        "POST /api/v1/asks/",
        "POST",
        "/api/v1/asks/",
        body={
            "title": f"Help with {skill} ({rng.randrange(10**6)})",
            "objective": "Understand the next step well enough to do it myself.",
            "preparation_questions": ["What did you try already?"],
            "skills": [skill],
            "format": "async",
        },
    )
    if created is not None and created.status_code == 201:
        ask = created.json().get("id")
        await c.call(u, "POST /api/v1/asks/<id>/publish/", "POST", f"/api/v1/asks/{ask}/publish/")


async def accept_offer(c: Client, u: User, w: World, rng: random.Random) -> None:
    offers = await c.call(u, "GET /api/v1/offers/?state=pending", "GET", "/api/v1/offers/?state=pending")
    if offers is not None and offers.status_code == 200:
        pending = _results(offers.json())
        if pending:
            offer = rng.choice(pending)["id"]
            await c.call(u, "POST /api/v1/offers/<id>/accept/", "POST", f"/api/v1/offers/{offer}/accept/")


async def book_slot(c: Client, u: User, w: World, rng: random.Random) -> None:
    slots = await c.call(
        u, "GET /api/v1/office-hours/slots/", "GET", "/api/v1/office-hours/slots/?page_size=50"
    )
    if slots is None or slots.status_code != 200:
        return
    free = [s for s in _results(slots.json()) if s.get("seats_left") and not s.get("booked_by_me")]
    if free:
        slot = rng.choice(free)
        await c.call(
            u,
            "POST /api/v1/bookings/",
            "POST",
            "/api/v1/bookings/",
            body={"office_hours": slot["office_hours"], "start": slot["start"], "topic": "A quick question"},
        )


async def _a_session(c: Client, u: User, rng: random.Random, name: str) -> dict | None:
    sessions = await c.call(u, name, "GET", "/api/v1/sessions/")
    if sessions is None or sessions.status_code != 200:
        return None
    found = _results(sessions.json())
    return rng.choice(found) if found else None


async def session_notes(c: Client, u: User, w: World, rng: random.Random) -> None:
    session = await _a_session(c, u, rng, "GET /api/v1/sessions/")
    if session is None:
        return
    path = f"/api/v1/sessions/{session['id']}/shared-notes/"
    notes = await c.call(u, "GET /api/v1/sessions/<id>/shared-notes/", "GET", path)
    if notes is not None and notes.status_code == 200:
        version = notes.json().get("version", 0)
        body = f"{notes.json().get('body', '')}\n- noted at {time.time():.0f}"[-2000:]
        await c.call(
            u, "PUT /api/v1/sessions/<id>/shared-notes/", "PUT", path, body={"body": body, "version": version}
        )


async def debrief(c: Client, u: User, w: World, rng: random.Random) -> None:
    session = await _a_session(c, u, rng, "GET /api/v1/sessions/")
    if session is None:
        return
    await c.call(
        u,
        "PATCH /api/v1/sessions/<id>/debrief/",
        "PATCH",
        f"/api/v1/sessions/{session['id']}/debrief/",
        body={"takeaways": ["Read the query plan first."], "outcome": "solved", "rating": 5},
    )


async def kudos(c: Client, u: User, w: World, rng: random.Random) -> None:
    receivers = [x for x in w.users if x != u.user_id]
    if receivers:
        await c.call(
            u,
            "POST /api/v1/kudos/",
            "POST",
            "/api/v1/kudos/",
            body={"receiver": rng.choice(receivers), "message": "Thank you for the help!", "public": True},
        )


async def insights(c: Client, u: User, w: World, rng: random.Random) -> None:
    if u.organiser:
        path = rng.choice(["/insights/", "/api/v1/insights/"])
        await c.call(u, f"GET {path}", "GET", path)
    else:
        await home(c, u, w, rng)


MIX: list[tuple[str, int, Action]] = [
    ("home", 16, home),
    ("directory", 9, directory),
    ("directory search", 8, directory_search),
    ("skill page", 9, skill_page),
    ("profile", 6, profile),
    ("people API", 6, people_api),
    ("people API search", 5, people_api_search),
    ("my pages", 12, my_pages),
    ("write and publish an ask", 5, write_ask),
    ("accept an offer", 5, accept_offer),
    ("book a slot", 4, book_slot),
    ("session notes", 4, session_notes),
    ("debrief", 3, debrief),
    ("kudos", 3, kudos),
    ("insights", 5, insights),
]


async def run(
    *,
    base_url: str,
    emails: list[str],
    duration: float,
    concurrency: int,
    think: float = 0.0,
    seed: int = 1,
    behind_tls_proxy: bool = True,
    actions_per_client: int | None = None,
) -> dict:
    """Log everyone in, then run ``concurrency`` clients for ``duration`` seconds (or until each has done
    ``actions_per_client`` actions, whichever comes first); return the summary."""
    limits = httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        client = Client(http, base_url, behind_tls_proxy=behind_tls_proxy)
        gate = asyncio.Semaphore(max(1, min(concurrency, 4)))  # logins hash passwords: a few at a time

        async def enter(email: str) -> User | None:
            async with gate:
                try:
                    return await log_in(client, email)
                except RuntimeError as exc:
                    print(f"   {exc}", file=sys.stderr, flush=True)
                    return None

        users = [u for u in await asyncio.gather(*(enter(e) for e in emails)) if u is not None]
        if not users:
            raise SystemExit("Nobody could log in.")
        world = await learn_world(client, users[0])
        world.users = [u.user_id for u in users if u.user_id]
        names, weights, actions = zip(*MIX, strict=True)
        deadline = time.monotonic() + duration
        client.recording = True
        started = time.monotonic()

        async def worker(i: int) -> None:
            rng = random.Random(seed * 1000 + i)
            user = users[i % len(users)]
            done = 0
            while time.monotonic() < deadline and (actions_per_client is None or done < actions_per_client):
                done += 1
                action = rng.choices(actions, weights=weights)[0]
                if i % len(users) != 0 and rng.random() < 0.1:
                    user = rng.choice(users)  # people come and go: the client changes hands now and then
                await action(client, user, world, rng)
                if think:
                    await asyncio.sleep(rng.expovariate(1 / think))

        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        seconds = time.monotonic() - started
    summary = summarise(client.samples, seconds)
    summary.update(
        users=len(users), concurrency=concurrency, base_url=base_url, mix={n: w for n, w, _ in MIX}
    )
    return summary


def demo_emails(count: int, *, people: int, seed: int = 42) -> list[str]:
    """``count`` seeded people's e-mail addresses: the three demo logins first (the organiser reads
    insights, the mentor has offers waiting), then people spread across the organisation."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("OTH_ENV", "test")
    os.environ.setdefault("SECRET_KEY", "load-driver-only")
    import django

    django.setup()
    from openhelp.demo.services import demo_logins, plan_people

    logins = [email for _, email in sorted(demo_logins(), key=lambda login: login[1] != ORGANISER)]
    rest = [p.email for p in plan_people(count=people, seed=seed) if p.email not in logins]
    step = max(1, len(rest) // max(count - len(logins), 1))  # spread out, not the first few
    return [*logins, *rest[::step]][:count]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=40, help="How many seeded people log in.")
    parser.add_argument("--people", type=int, default=100_000, help="How many people were seeded.")
    parser.add_argument("--seed", type=int, default=42, help="The seed_demo seed.")
    parser.add_argument("--duration", type=float, default=60, help="Seconds of load after the logins.")
    parser.add_argument("--concurrency", type=int, default=8, help="Clients running at once.")
    parser.add_argument("--think", type=float, default=0.0, help="Mean pause between actions (s).")
    parser.add_argument("--json", type=Path, help="Write the summary here.")
    parser.add_argument(
        "--no-tls-proxy",
        action="store_true",
        help="The app is not behind a TLS proxy (development settings): plain http origins, no X-Forwarded-Proto.",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    emails = demo_emails(args.users, people=args.people, seed=args.seed)
    print(f"Logging in {len(emails)} people at {args.base_url} …", flush=True)
    summary = asyncio.run(
        run(
            base_url=args.base_url,
            emails=emails,
            duration=args.duration,
            concurrency=args.concurrency,
            think=args.think,
            behind_tls_proxy=not args.no_tls_proxy,
        )
    )
    print(table(summary))
    overall = summary["overall"]
    print(
        f"{overall['n']} requests in {summary['seconds']:.0f} s ({overall['per_second']:.1f}/s), "
        f"{overall['error_count']} errors, {overall['server_errors']} 5xx"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2))
    return 1 if overall["server_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
