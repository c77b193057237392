"""What every office-hours endpoint shares: error shapes for the schema, and the translation of the
services' domain errors into API errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer

from openhelp.help.officehours.errors import BookingConflict
from openhelp.platform.api.errors import ERROR_BODY, Conflict
from openhelp.platform.api.schema import AutoSchema
from openhelp.platform.lib.locking import LockTimeout
from openhelp.platform.lib.ratelimit import is_rate_limited

TAGS = ["office hours"]
MAX_SLOT_DAYS = 56
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid input: error.fields maps each field to its messages."
    ),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
    404: OpenApiResponse(ERROR_BODY, description="No such object, or not yours to see."),
    409: OpenApiResponse(
        ERROR_BODY,
        description="Not possible now: slot_full, already_booked, overlap, cap_reached, taken or not_changeable.",
    ),
    503: OpenApiResponse(ERROR_BODY, description="Too many people booking the same people at once; retry."),
}
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255},
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (≤ 255 characters). Repeating the request with the same key returns the "
    "same booking instead of making a second one.",
)


class Busy(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Many people are booking at this moment; please try again."
    default_code = "busy"


def run(step):
    """Translate the services' domain errors into API errors."""
    try:
        return step()
    except BookingConflict as error:
        raise Conflict(detail=error.message, code=error.code) from error
    except LockTimeout as error:
        raise Busy() from error
    except DjangoValidationError as error:
        if is_rate_limited(error):
            raise  # a 429 (api.errors), not a field error
        raise exceptions.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error


class BusyRetryAfter:
    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code == 503:
            response["Retry-After"] = "1"
        return super().finalize_response(request, response, *args, **kwargs)


class JsonErrors:
    """For a view that answers a file (text/calendar): its errors stay in the one JSON error shape, even
    for a client that asked only for the file's type."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and hasattr(response, "accepted_renderer"):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


class JsonErrorsSchema(AutoSchema):
    """The schema of a ``JsonErrors`` view: its errors are application/json only."""

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        if str(status_code) >= "400":
            media_types = [JSONRenderer.media_type]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)
