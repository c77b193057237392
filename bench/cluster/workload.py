"""The write-heavy load the faults run under: concurrent clients on the balancer, over the REST API with
personal access tokens, booking office-hours seats (several clients on the same slots), giving kudos,
accepting offers and reading notifications. httpx, one asyncio loop; every answer is recorded.

A booking is sent with an Idempotency-Key and retried with the same key when the answer is lost (a
connection error or a 5xx), as a careful client does; the other writes are not retried.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

HEADERS = {"X-Forwarded-Proto": "https", "Host": "localhost"}


@dataclass
class Actors:
    """Who the load acts as: tokens of people who book and thank, and of mentors with offers open."""

    mentees: list[tuple[int, str]]  # (user id, token)
    offers: list[tuple[int, str]]  # (offer id, the mentor's token)
    people: list[int]  # who may be thanked
    skills: list[str] = field(default_factory=list)  # names an ask may name


@dataclass
class Sample:
    at: float  # seconds since the load started
    action: str
    status: int  # 0: no answer (connection error, timeout)
    ms: float


@dataclass
class Load:
    samples: list[Sample] = field(default_factory=list)
    confirmed: dict[str, list[int]] = field(
        default_factory=lambda: {"booking": [], "kudos": [], "offer": [], "ask": []}
    )
    started: float = 0.0

    def statuses(self, *, start: float = 0, end: float = float("inf")) -> Counter:
        return Counter(
            (s.action, "no answer" if s.status == 0 else f"{s.status // 100}xx")
            for s in self.samples
            if start <= s.at < end
        )

    def failures(self, *, start: float = 0, end: float = float("inf")) -> list[Sample]:
        return [s for s in self.samples if start <= s.at < end and (s.status == 0 or s.status >= 500)]


class Driver:
    def __init__(self, base: str, actors: Actors, *, clients: int = 8, seed: int = 7) -> None:
        self.base = base
        self.actors = actors
        self.clients = clients
        self.random = random.Random(seed)
        self.load = Load()
        self.slots: list[dict[str, Any]] = []
        self.offers = list(actors.offers)
        self.refreshing = False

    def _now(self) -> float:
        return time.monotonic() - self.load.started

    async def _call(
        self, client: httpx.AsyncClient, action: str, method: str, path: str, token: str, **kw: Any
    ):
        started = time.monotonic()
        at = self._now()
        try:
            response = await client.request(
                method,
                path,
                headers={**HEADERS, "Authorization": f"Bearer {token}", **kw.pop("headers", {})},
                **kw,
            )
        except httpx.HTTPError:
            self.load.samples.append(Sample(at, action, 0, (time.monotonic() - started) * 1000))
            return None
        self.load.samples.append(
            Sample(at, action, response.status_code, (time.monotonic() - started) * 1000)
        )
        return response

    async def refresh_slots(self, client: httpx.AsyncClient) -> None:
        """Up to 40 slots with seats left in one week of the next seven (a week per refresh, so that runs
        after runs still find free seats), as the first mentee sees them."""
        _, token = self.actors.mentees[0]
        first = dt.date.today() + dt.timedelta(days=1 + 7 * self.random.randrange(7))
        window = {"start": str(first), "end": str(first + dt.timedelta(days=7))}
        found: list[dict[str, Any]] = []
        for page in range(1, 16):
            response = await self._call(
                client, "slots", "GET", "/api/v1/office-hours/slots/", token, params={**window, "page": page}
            )
            if response is None or response.status_code != 200:
                break
            body = response.json()
            found += [slot for slot in body.get("results", []) if slot.get("seats_left", 0) > 0]
            if len(found) >= 40 or not body.get("next"):
                break
        self.slots = found[:40]

    async def book(self, client: httpx.AsyncClient) -> None:
        if len(self.slots) < 4 and not self.refreshing:
            self.refreshing = True
            try:
                await self.refresh_slots(client)
            finally:
                self.refreshing = False
        if not self.slots:
            return
        slot = self.random.choice(self.slots[:12])  # a few popular slots: clients contend for their seats
        _, token = self.random.choice(self.actors.mentees)
        key = uuid.uuid4().hex
        payload = {"office_hours": slot["office_hours"], "start": slot["start"], "topic": "Cluster fault run"}
        for _attempt in range(4):
            response = await self._call(
                client,
                "book",
                "POST",
                "/api/v1/bookings/",
                token,
                json=payload,
                headers={"Idempotency-Key": key},
            )
            if response is not None and response.status_code < 500:
                if response.status_code == 201:
                    self.load.confirmed["booking"].append(response.json()["id"])
                elif response.status_code in (400, 409) and "full" in response.text.lower():
                    self.slots = [s for s in self.slots if s is not slot]
                return
            await asyncio.sleep(0.5)

    async def kudos(self, client: httpx.AsyncClient) -> None:
        giver, token = self.random.choice(self.actors.mentees)
        receiver = self.random.choice([p for p in self.actors.people[:50] if p != giver])
        response = await self._call(
            client,
            "kudos",
            "POST",
            "/api/v1/kudos/",
            token,
            json={"receiver": receiver, "message": "Thank you!"},
        )
        if response is not None and response.status_code == 201:
            self.load.confirmed["kudos"].append(response.json()["id"])

    async def accept(self, client: httpx.AsyncClient) -> None:
        if not self.offers:
            return await self.read(client)
        offer, token = self.offers.pop()
        response = await self._call(client, "accept", "POST", f"/api/v1/offers/{offer}/accept/", token)
        if response is not None and response.status_code == 200:
            self.load.confirmed["offer"].append(offer)

    async def publish(self, client: httpx.AsyncClient) -> None:
        """Write an ask and publish it: routing offers it to experts (whose offers the runner feeds back
        into ``self.offers`` for ``accept``)."""
        _, token = self.random.choice(self.actors.mentees)
        ask = {
            "title": "Tuning a slow PostgreSQL query",
            "objective": "read a query plan and pick the right index",
            "preparation_questions": ["Which plan node costs most?"],
            "skills": [self.random.choice(self.actors.skills)] if self.actors.skills else [],
        }
        response = await self._call(client, "write ask", "POST", "/api/v1/asks/", token, json=ask)
        if response is None or response.status_code != 201:
            return
        ask_id = response.json()["id"]
        response = await self._call(client, "publish ask", "POST", f"/api/v1/asks/{ask_id}/publish/", token)
        if response is not None and response.status_code == 200:
            self.load.confirmed["ask"].append(ask_id)

    async def read(self, client: httpx.AsyncClient) -> None:
        _, token = self.random.choice(self.actors.mentees)
        path = self.random.choice(["/api/v1/notifications/", "/api/v1/bookings/", "/api/v1/kudos/feed/"])
        await self._call(client, "read", "GET", path, token)

    async def _client_loop(self, client: httpx.AsyncClient, deadline: float) -> None:
        actions = [
            (self.book, 0.35),
            (self.kudos, 0.2),
            (self.publish, 0.07),
            (self.accept, 0.08),
            (self.read, 0.3),
        ]
        while self._now() < deadline:
            action = self.random.choices([a for a, _ in actions], weights=[w for _, w in actions])[0]
            await action(client)
            await asyncio.sleep(self.random.uniform(0.02, 0.1))

    async def run(self, seconds: float) -> Load:
        self.load = Load(started=time.monotonic())
        limits = httpx.Limits(max_connections=self.clients * 2)
        async with httpx.AsyncClient(base_url=self.base, timeout=30, limits=limits) as client:
            await self.refresh_slots(client)
            await asyncio.gather(*(self._client_loop(client, seconds) for _ in range(self.clients)))
        return self.load
