"""Session pages, one module per area: sessions (list, the session page and its parts, export), debrief
(debrief and endorsement) and organiser (figures and no-show pauses). Only the two participants ever see
a session; anyone else — organisers and admins included — gets a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from openhelp.help.mentoring.models import Session


def visible_session(request: HttpRequest, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.involving(request.user).select_related(
            "mentee__profile", "mentor__profile", "ask", "booking"
        ),
        pk=pk,
    )
