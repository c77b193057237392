"""The quiet development log of `make run` (LOG_QUIET=True; `VERBOSE=1 make run` turns it off).

One short line per request ("10:04:31 GET /asks/ 200"), none for static files and health checks that
succeeded, none for a background task that succeeded, none for the autoreloader watching files; every
warning and error is kept, with its traceback.
"""

from __future__ import annotations

import logging
import time

# Paths whose successful requests say nothing a developer needs to see.
QUIET_PATHS = ("/static/", "/healthz", "/favicon.ico")
MAX_PATH_CHARS = 80


def request_parts(record: logging.LogRecord) -> tuple[str, str, str] | None:
    """(method, path, status) of a django.server record, or None for anything else it logs."""
    args = record.args
    if record.name != "django.server" or not isinstance(args, tuple) or len(args) < 2:
        return None
    words = str(args[0]).split()
    if len(words) < 2:
        return None
    return words[0], words[1], str(args[1])


class QuietFilter(logging.Filter):
    """Drops the routine INFO records; lets every warning and error through."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            # The server line already says 404; django.request would say it a second time.
            return not (record.name == "django.request" and record.levelno == logging.WARNING)
        if record.name.startswith(("django_tasks", "django_tasks_db")):
            return False  # "Task … state=RUNNING" and "… state=SUCCESSFUL": two lines a task
        if record.name == "django.utils.autoreload" and record.getMessage().startswith("Watching for"):
            return False
        parts = request_parts(record)
        if parts is not None:
            return not parts[1].startswith(QUIET_PATHS)
        return True


class QuietFormatter(logging.Formatter):
    """ "HH:MM:SS message", with the level in front of warnings and errors, and short request lines."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(record.created))
        parts = request_parts(record)
        if parts is not None:
            method, path, status = parts
            if len(path) > MAX_PATH_CHARS:
                path = path[: MAX_PATH_CHARS - 1] + "…"
            text = f"{method} {path} {status}"
        else:
            text = record.getMessage()
            if record.levelno >= logging.WARNING:
                text = f"{record.levelname} {text}"
        line = f"{stamp} {text}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        elif record.exc_text:
            line += "\n" + record.exc_text
        return line
