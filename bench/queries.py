"""Count the SQL queries of each benchmark scenario (run by bench/run.py with the server's settings).

Usage: python bench/queries.py EMAIL PATH [PATH …]  →  prints {"PATH": queries, …} as JSON.
Requests go through Django's test client in this process, so the count is exact and needs no DEBUG.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main(email: str, paths: list[str]) -> dict[str, int]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from openhelp.platform.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(email=email))
    counts = {}
    for path in paths:
        client.get(path, secure=True)  # warm caches (content types, site), as a running server would have
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        counts[path] = len(queries.captured_queries)
    return counts


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2:])))
