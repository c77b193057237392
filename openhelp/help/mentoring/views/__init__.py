"""Session pages, one module per area: sessions (list, the session page and its parts, export), debrief
(debrief and endorsement) and organiser (figures and no-show pauses). Only the two participants ever see
a session; anyone else — organisers and admins included — gets a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from openhelp.help.mentoring.models import Session
from openhelp.platform.lib.local_time import localise_utc_in_text


def visible_session(request: HttpRequest, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.involving(request.user).select_related(
            "mentee__profile", "mentor__profile", "ask", "booking"
        ),
        pk=pk,
    )


def in_viewer_zone(text: str) -> str:
    """A workflow's words with its UTC times ("2026-12-08 09:00 UTC") in the viewer's zone, as the page shows
    every other time (the time-zone middleware has activated it)."""
    return localise_utc_in_text(text, timezone.get_current_timezone_name())
