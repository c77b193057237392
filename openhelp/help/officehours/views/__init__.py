"""Office-hours pages, one module per area: blocks (the mentor's editor), finding (public pages and the
week across mentors), bookings (book, confirm, cancel, reschedule, waiting list), calendar (feed and
reminders), asks (scheduling an accepted call ask)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from openhelp.help.officehours.errors import BookingConflict
from openhelp.platform.lib.forms import add_service_errors
from openhelp.platform.lib.locking import LockTimeout


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
