"""The WSGI entry point: the application, with what it loaded kept out of the garbage collector's walks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE = """
import gc
before = gc.get_freeze_count()
import config.wsgi
print(before, gc.get_freeze_count(), callable(config.wsgi.application))
"""


def test_loading_the_wsgi_application_freezes_what_it_loaded():
    env = {**os.environ, "OTH_ENV": "test", "DEBUG": "False", "SECRET_KEY": "test-only-insecure-key"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    before, after, is_app = out.stdout.split()
    assert int(before) == 0
    assert int(after) > 10_000  # Django and the apps: tens of thousands of objects
    assert is_app == "True"
