"""What `python manage.py check --deploy` checks beyond Django's own: can this configuration run here?

Settings that cannot be right stop the start-up in config/settings.py (each message names the variable).
These checks need the things the settings point at, so they run only with ``--deploy``: the database
answers, Redis answers, the SMTP server takes a connection, every stored secret opens with the configured
keys, and SITE_URL's host is one this server answers. Each problem is one line that names the variable
to look at; nothing here prints a password or a secret.
"""

from __future__ import annotations

import smtplib
import socket
from urllib.parse import urlsplit

import redis
from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError, connection
from django.http.request import split_domain_port, validate_host

from openhelp.platform.lib.secrets import EncryptedTextField, SecretUnreadable, decrypt

SMTP_CHECK_TIMEOUT_SECONDS = 5


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else error.__class__.__name__)[:300]


@register(deploy=True)
def check_database(app_configs=None, **kwargs):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return [
            Error(
                f"The database in DATABASE_URL does not answer: {_first_line(error)}",
                hint="Check the host, port, database name, user and password in DATABASE_URL, and that "
                "the database exists.",
                id="openhelp.E001",
            )
        ]
    return []


@register(deploy=True)
def check_stored_secrets(app_configs=None, **kwargs):
    """Integration tokens and passwords are encrypted with FIELD_ENCRYPTION_KEYS (else SECRET_KEY)."""
    unreadable: list[str] = []
    try:
        tables = set(connection.introspection.table_names())
        for model in apps.get_models():
            table = model._meta.db_table
            if table not in tables:
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, EncryptedTextField):
                    continue
                with connection.cursor() as cursor:
                    column = connection.ops.quote_name(field.column)
                    cursor.execute(
                        f"SELECT {column} FROM {connection.ops.quote_name(table)} "  # noqa: S608 - names from models
                        f"WHERE {column} IS NOT NULL AND {column} <> ''"
                    )
                    values = [row[0] for row in cursor.fetchall()]
                failed = 0
                for value in values:
                    try:
                        decrypt(value)
                    except SecretUnreadable:
                        failed += 1
                if failed:
                    unreadable.append(f"{failed} of {len(values)} in {model._meta.label}.{field.name}")
    except DatabaseError:
        return []  # the database check above reports it
    if not unreadable:
        return []
    return [
        Error(
            "Stored secrets that no configured key opens: " + "; ".join(unreadable) + ".",
            hint="They were encrypted under another SECRET_KEY or FIELD_ENCRYPTION_KEYS (a restored backup, a "
            "changed SECRET_KEY). List the old key in FIELD_ENCRYPTION_KEYS after the current one "
            "(docs/deployment.md, 'Keys and secrets'), or enter those tokens and passwords again.",
            id="openhelp.E002",
        )
    ]


def _redis_urls() -> list[tuple[str, str]]:
    urls = []
    if getattr(settings, "REDIS_URL", ""):
        urls.append(("REDIS_URL", settings.REDIS_URL))
    queues: dict[str, dict[str, str]] = getattr(settings, "RQ_QUEUES", {})
    rq_url = next((queue.get("URL", "") for queue in queues.values()), "")
    if rq_url and rq_url != getattr(settings, "REDIS_URL", ""):
        urls.append(("TASKS_REDIS_URL", rq_url))
    return urls


@register(deploy=True)
def check_redis(app_configs=None, **kwargs):
    problems = []
    for name, url in _redis_urls():
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            client.ping()
            client.close()
        except redis.RedisError as error:
            parts = urlsplit(url)
            where = parts.path if parts.scheme == "unix" else f"{parts.hostname}:{parts.port or 6379}"
            problems.append(
                Error(
                    f"Redis in {name} ({where}) does not answer: {_first_line(error)}",
                    hint=f"Start Redis or correct {name}. Without Redis, logins are refused (login "
                    "throttling fails closed: docs/deployment.md, 'When Redis is down').",
                    id="openhelp.E003",
                )
            )
    return problems


@register(deploy=True)
def check_smtp(app_configs=None, **kwargs):
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return []
    where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    smtp_class = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
    try:
        with smtp_class(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=SMTP_CHECK_TIMEOUT_SECONDS) as smtp:
            if settings.EMAIL_USE_TLS:
                smtp.starttls()
            if settings.EMAIL_HOST_USER:
                smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    except smtplib.SMTPAuthenticationError:
        return [
            Error(
                f"The SMTP server {where} refused EMAIL_HOST_USER and EMAIL_HOST_PASSWORD.",
                hint="Check the user name and password (many providers want an app password).",
                id="openhelp.E004",
            )
        ]
    except (OSError, smtplib.SMTPException) as error:
        hint = "Check EMAIL_HOST and EMAIL_PORT"
        if isinstance(error, smtplib.SMTPNotSupportedError):
            hint = (
                "The server offers no STARTTLS: set EMAIL_USE_TLS=False (or EMAIL_USE_SSL=True for port 465)"
            )
        elif isinstance(error, socket.timeout | ConnectionRefusedError):
            hint += "; port 587 is STARTTLS (EMAIL_USE_TLS=True), port 465 implicit TLS (EMAIL_USE_SSL=True)"
        return [
            Warning(
                f"No e-mail can be sent: the SMTP server {where} answered {_first_line(error)!r}.",
                hint=hint + ". Every notification and password reset waits for it; the worker retries.",
                id="openhelp.W001",
            )
        ]
    return []


@register(deploy=True)
def check_site_url_host(app_configs=None, **kwargs):
    host, _port = split_domain_port(urlsplit(settings.SITE_URL).netloc)
    if host and not validate_host(host, settings.ALLOWED_HOSTS):
        return [
            Warning(
                f"SITE_URL's host {host} is not in ALLOWED_HOSTS: every link in e-mails and chat messages "
                "would answer 400 Bad Request.",
                hint=f"Add {host} to ALLOWED_HOSTS.",
                id="openhelp.W002",
            )
        ]
    return []
