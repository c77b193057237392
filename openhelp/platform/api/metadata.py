"""What ``OPTIONS`` answers on every API view.

DRF's default metadata guesses each view's input by calling ``get_object()`` and ``get_serializer()``. Our
views do not work that way: they look objects up through the services (no ``queryset``) and validate with
an input serializer of their own, so the guess either crashed (a 500 on OPTIONS) or described the *output*
serializer as if it were the input. The inputs are described once, in the OpenAPI schema; OPTIONS says
what the view is, what it reads and writes, and where that schema is. The allowed methods are in the
``Allow`` header, as always.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework.metadata import BaseMetadata


class SchemaMetadata(BaseMetadata):
    def determine_metadata(self, request, view) -> dict:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "schema": request.build_absolute_uri(reverse("api-schema")),
        }
