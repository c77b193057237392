"""``manage.py run_worker`` with no options works every queue: e-mail and chat included.

Found by running the app as docs/deployment.md says (``manage.py run_worker &``): django-tasks-db's
``db_worker`` reads only the "default" queue unless told otherwise, so every e-mail (password resets,
address confirmations, notifications) and chat message stayed queued for ever. The dev runner and the
cluster passed ``--queue-name '*'`` and so did not show it.
"""

from __future__ import annotations

from django.conf import settings

from openhelp.platform.core.management.commands.run_worker import Command


def _options(*args: str):
    return Command().create_parser("manage.py", "run_worker").parse_args(list(args))


def test_a_worker_started_without_options_works_every_queue():
    assert _options().queue_name == "*"
    assert {"email", "chat"} <= set(settings.TASKS["default"]["QUEUES"])


def test_a_worker_can_still_be_dedicated_to_one_queue():
    assert _options("--queue-name", "email").queue_name == "email"
