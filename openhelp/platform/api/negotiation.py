"""Content negotiation that also refuses an empty body of a Content-Type the view does not read.

DRF picks a parser only when there is a body to parse. A write with ``Content-Type: multipart/form-data``
(or ``x-www-form-urlencoded``) and no body skipped that choice and reached the view as an empty *form*,
in which a required boolean missing reads as false: ``PUT /insights/network/consent/`` answered 200
``named: false``. Such a request is a 415 like any other body the view does not parse; negotiation runs in
``APIView.initial`` for every request, before the view reads anything.

A ``?format=`` no renderer of the view writes is a 400 naming ``format`` and the formats it takes, as
any query parameter with a value it does not take (``params.py``); DRF answered 404 "Not found." for an
object that exists (``/asks/?format=xml``).
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import is_form_media_type


def _is_empty(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) <= 0
    except ValueError:
        return True


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        media_type = getattr(request, "content_type", "")
        if (
            request.method not in SAFE_METHODS
            and media_type
            and is_form_media_type(media_type)
            and _is_empty(request)
            and self.select_parser(request, getattr(request, "parsers", ())) is None
        ):
            raise exceptions.UnsupportedMediaType(media_type)
        override = self.settings.URL_FORMAT_OVERRIDE
        if override and not format_suffix and request.query_params.get(override, None) == "":
            self.filter_renderers(renderers, "")  # sent empty is not absent: a 400 naming it
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        kept = [renderer for renderer in renderers if renderer.format == format]
        if not kept:
            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise exceptions.ValidationError({"format": [f"Use one of: {known}."]})
        return kept
