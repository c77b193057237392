"""The OpenAPI schema view, generated and rendered once per process, language and format.

drf-spectacular walks every view and serializer for each request to ``/api/schema/`` (about 1 s of CPU
on the 2-core reference machine, plus 0.4 s to write the YAML), and the API docs page asks for it on every
visit. The schema is public and depends only on the code, which a process never changes, so the rendered
document is kept after the first request. At most a few are kept (``?lang=`` times JSON and YAML), so an
arbitrary ``lang`` cannot grow the memory.
"""

from __future__ import annotations

import functools

from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView

KEPT = 8  # languages × formats


@functools.lru_cache(maxsize=KEPT)
def _document(generator_class, version: str | None, language: str | None) -> dict:
    del language  # part of the key: the document is generated inside the request's language
    return generator_class(api_version=version).get_schema(request=None, public=True)


@functools.lru_cache(maxsize=KEPT)
def _rendered(generator_class, version: str | None, language: str | None, renderer_class) -> bytes:
    renderer = renderer_class()
    return renderer.render(_document(generator_class, version, language), renderer.media_type, {})


class SchemaView(SpectacularAPIView):
    """``/api/schema/``: the same document as drf-spectacular's view, built once."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        renderer = request.accepted_renderer
        body = _rendered(self.generator_class, version, translation.get_language(), type(renderer))
        charset = f"; charset={renderer.charset}" if renderer.charset else ""
        response = HttpResponse(body, content_type=f"{request.accepted_media_type}{charset}")
        response["Content-Disposition"] = f'inline; filename="{self._get_filename(request, version)}"'
        return response


def forget_schema() -> None:
    """Start again (tests that count generations)."""
    _document.cache_clear()
    _rendered.cache_clear()
