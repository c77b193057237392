"""Strict helpers that read configuration from environment variables.

Each helper accepts exactly the forms it documents and raises ImproperlyConfigured on anything
else, so a typo in a deployment fails at start-up instead of silently falling back to a default.
A value may also be read from a file named by ``<NAME>_FILE`` (Docker/Kubernetes secrets).
"""

from __future__ import annotations

import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to an unreadable file: {exc}") from exc
    return os.environ.get(name)


def env_str(name: str, default: object = _MISSING) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    if value == "True":
        return True
    if value == "False":
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_timezone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be an IANA time zone name, not {value!r}.") from exc
    return value


def env_url(name: str, default: str, *, schemes: tuple[str, ...], redis: bool = False) -> str:
    """A URL with one of ``schemes`` and a host (``unix://`` a path); empty stays empty.

    ``redis=True``: the path, if any, is the database number (``redis://host:6379/9``). Messages never
    repeat the value, which may hold a password."""
    value = env_str(name, default)
    if not value:
        return value
    example = f"{schemes[0]}://host:6379/0" if redis else f"{schemes[-1]}://help.example.org"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(f"{name} is not a valid URL; it should look like {example}.") from None
    if parts.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must start with {' or '.join(s + '://' for s in schemes)} "
            f"(it starts with {parts.scheme + '://' if parts.scheme else 'no scheme'}); e.g. {example}."
        )
    if parts.scheme != "unix" and not parts.hostname:
        raise ImproperlyConfigured(f"{name} has no host name; it should look like {example}.")
    if redis and parts.scheme != "unix" and parts.path.strip("/") and not parts.path.strip("/").isdigit():
        raise ImproperlyConfigured(
            f"{name}: the part after the host is Redis's database number, such as /0; e.g. {example}."
        )
    return value


def env_email(name: str, default: str) -> str:
    """An e-mail address, bare (``help@example.org``) or with a name (``Open to Help <help@example.org>``)."""
    value = env_str(name, default)
    address = parseaddr(value)[1]
    local, _, domain = address.rpartition("@")
    if not local or not domain:
        raise ImproperlyConfigured(
            f"{name} must be an e-mail address such as help@example.org or "
            f'"Open to Help <help@example.org>", not {value!r}.'
        )
    return value
