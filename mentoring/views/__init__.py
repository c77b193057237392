"""Session pages, one module per area: sessions (list, the session page and its parts, export), debrief
(debrief and endorsement) and organiser (figures and no-show pauses). Only the two participants ever see
a session; anyone else — organisers and admins included — gets a 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from mentoring.models import Session


def visible_session(request: HttpRequest, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.involving(request.user).select_related(
            "mentee__profile", "mentor__profile", "ask", "booking"
        ),
        pk=pk,
    )


def add_service_errors(form, error: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError next to the matching field, the rest at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.message_dict.items():
        target = (mapping or {}).get(field, field)
        form.add_error(target if target in form.fields else None, field_errors)
