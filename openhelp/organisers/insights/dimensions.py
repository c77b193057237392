"""Which programme an ask or a session belongs to, read through the programmes app's nullable foreign
keys when they exist (``Ask.programme``, ``OfficeHours.programme``), so insights never edits those apps."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Coalesce

from openhelp.help.asks.models import Ask
from openhelp.help.officehours.models import OfficeHours


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def ask_programme(prefix: str = ""):
    """An expression for the programme id of an ask (``prefix`` = path to the ask, e.g. ``"ask__"``)."""

    if _has_field(Ask, "programme"):
        return F(f"{prefix}programme_id")
    return Value(None, output_field=IntegerField())


def session_programme():
    """A session's programme: its ask's, else its booking's office hours'."""

    parts = []

    if _has_field(Ask, "programme"):
        parts.append(F("ask__programme_id"))
    if _has_field(OfficeHours, "programme"):
        parts.append(F("booking__slot__office_hours__programme_id"))
    if not parts:
        return Value(None, output_field=IntegerField())
    if len(parts) == 1:
        return parts[0]
    return Coalesce(*parts, output_field=IntegerField())


def programmes_installed() -> bool:
    return apps.is_installed("programmes")
