"""The load driver (bench/load): its statistics, and its whole mix against a live server with a tiny
organisation (every action runs; the app answers no 5xx; the server time comes from Server-Timing)."""

from __future__ import annotations

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.load import driver
from bench.load.stats import Sample, is_error, percentile, server_ms, summarise, table
from openhelp.demo import data
from openhelp.demo.services import seed_demo


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1 … 100
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7
    assert percentile([3.0, 1.0, 2.0], 50) == 2  # unsorted input
    assert percentile([], 95) == 0.0


def test_server_time_is_read_from_the_server_timing_header():
    assert server_ms("app;dur=12.5") == 12.5
    assert server_ms("db;dur=3, app;dur=40.1") == 40.1
    assert server_ms("cache;desc=hit") is None
    assert server_ms(None) is None


def test_errors_are_4xx_5xx_and_no_answer():
    assert [is_error(s) for s in (200, 201, 302, 400, 409, 500, 0)] == [False] * 3 + [True] * 4


def test_summary_counts_errors_by_status_and_5xx_apart():
    samples = [
        Sample("GET /", 200, 10.0, 8.0),
        Sample("GET /", 200, 30.0, 20.0),
        Sample("GET /", 500, 50.0, 45.0),
        Sample("POST /api/v1/kudos/", 429, 5.0, 4.0),
        Sample("POST /api/v1/kudos/", 0, 60_000.0, None, "ReadTimeout"),
    ]
    summary = summarise(samples, seconds=2.0)
    home, kudos, overall = (
        summary["endpoints"]["GET /"],
        summary["endpoints"]["POST /api/v1/kudos/"],
        summary["overall"],
    )
    assert home["n"] == 3 and home["per_second"] == 1.5
    assert (
        home["client"]["p50"] == 30.0
        and home["server"]["p95"] == 45.0
        and home["server"]["mean"] == pytest.approx(73 / 3)
    )
    assert home["errors"] == {"500": 1} and home["server_errors"] == 1
    assert kudos["errors"] == {"0": 1, "429": 1} and kudos["server_errors"] == 0 and kudos["no_answer"] == 1
    assert kudos["server"]["p50"] == 4.0  # the unanswered request has no server time
    assert overall["n"] == 5 and overall["error_count"] == 3 and overall["server_errors"] == 1
    rendered = table(summary)
    assert "| GET / | 3 | 1.5 |" in rendered and "500×1" in rendered and "| **all** | 5 |" in rendered


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_the_mix_runs_against_a_live_server(live_server):
    seed_demo(people=30, seed=11, today=dt.date.today())
    emails = [data.ORGANISER_EMAIL, data.MENTEE_EMAIL, data.MENTOR_EMAIL]
    run = driver.run(
        base_url=live_server.url,
        emails=emails,
        duration=300,  # a bound only: the run is a fixed number of actions, however slow the machine
        actions_per_client=10,
        concurrency=3,
        seed=5,
        behind_tls_proxy=False,
    )
    # In a thread of its own: a browser test earlier in this process leaves Playwright's event loop on
    # the main thread, and asyncio.run refuses to start a second one there.
    with ThreadPoolExecutor(max_workers=1) as pool:
        summary = pool.submit(asyncio.run, run).result()
    assert summary["users"] == 3
    overall = summary["overall"]
    assert overall["n"] > 10
    assert overall["server_errors"] == 0, summary["endpoints"]
    assert overall["server"]["p50"] > 0  # Server-Timing was read
    assert "GET / (Today)" in summary["endpoints"]
    reads = [name for name in summary["endpoints"] if name.startswith("GET")]
    assert len(reads) >= 5
