"""Rotating SECRET_KEY without logging everyone out: old keys are read from SECRET_KEY_FALLBACKS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from openhelp.platform.lib import secrets

ROOT = Path(__file__).resolve().parent.parent
OLD = "old-" + "o" * 60
NEW = "new-" + "n" * 60


def test_it_reads_the_old_keys_from_the_environment():
    second = "old-two-" + "t" * 50
    env = {**os.environ, "SECRET_KEY": NEW, "SECRET_KEY_FALLBACKS": f"{OLD}, {second}"}
    code = "import json; from django.conf import settings; print(json.dumps(settings.SECRET_KEY_FALLBACKS))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [OLD, second]


def test_integration_secrets_keep_opening_with_the_old_key_listed(settings):
    settings.FIELD_ENCRYPTION_KEYS, settings.SECRET_KEY = "", OLD
    secrets._box.cache_clear()
    stored = secrets.encrypt("xoxb-1")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]
    assert secrets.decrypt(stored) == "xoxb-1"
    secrets._box.cache_clear()
