"""Office-hours pages, one module per area: blocks (the mentor's editor), finding (public pages and the
week across mentors), bookings (book, confirm, cancel, reschedule, waiting list), calendar (feed and
reminders), asks (scheduling an accepted call ask)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from lib.locking import LockTimeout
from officehours.errors import BookingConflict


def add_service_errors(form, error: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError next to the matching field, the rest at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.message_dict.items():
        target = (mapping or {}).get(field, field)
        form.add_error(target if target in form.fields else None, field_errors)


def attempt(request: HttpRequest, step, *, form=None, mapping: dict[str, str] | None = None):
    """Run a service step. Conflicts and lock timeouts become a notice; bad input lands on the form."""
    try:
        return step(), True
    except (BookingConflict, LockTimeout, PermissionDenied) as error:
        messages.error(request, str(error))
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error, mapping)
        else:
            messages.error(request, " ".join(error.messages))
    return None, False
