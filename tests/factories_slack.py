"""Builders for Slack tests: a workspace holding a bot token the fake Slack issued, and linked people."""

from __future__ import annotations

import itertools

from openhelp.integrations.slack.models import SlackAccount, Workspace

_counter = itertools.count(1)


def make_workspace(fake, **fields) -> Workspace:
    fields.setdefault("team_id", fake.team_id)
    fields.setdefault("name", fake.team_name)
    fields.setdefault("bot_user_id", "UBOT")
    return Workspace.objects.create(bot_token=fake.issue_bot_token(), **fields)


def link(
    user, workspace: Workspace, fake=None, *, slack_user_id: str | None = None, **fields
) -> SlackAccount:
    """A linked Slack account for ``user`` (the fake knows their e-mail, as users.info would)."""
    slack_user_id = slack_user_id or f"U{next(_counter):05d}"
    if fake is not None:
        fake.add_user(slack_user_id, user.email)
    return SlackAccount.objects.create(workspace=workspace, slack_user_id=slack_user_id, user=user, **fields)
