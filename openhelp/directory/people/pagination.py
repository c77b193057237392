"""Pages of the people API: keyset cursors in the ``next``/``previous`` links, page numbers still accepted.

The response keeps the shape clients know (``count``, ``next``, ``previous``, ``results``). What changed:
``next`` and ``previous`` carry ``after=``/``before=`` cursors instead of ``page=`` (clients that follow
the links need no change), ``count`` stops at ``COUNT_CAP`` with ``count_capped`` saying so, and a
``page`` past the end answers an empty list instead of 404.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from openhelp.directory.people.directory import DirectoryFilters, DirectoryPage, directory_page
from openhelp.directory.people.keyset import COUNT_CAP
from openhelp.platform.api.pagination import PageNumberPagination


class PeopleKeysetPagination(PageNumberPagination):
    after_query_param = "after"
    before_query_param = "before"

    def paginate_directory(self, request, filters: DirectoryFilters, *, viewer) -> list:
        self.request = request
        params = request.query_params
        raw_page = params.get(self.page_query_param, "")
        errors: dict[str, list[str]] = {}
        page_number = None
        if raw_page:
            if not raw_page.isdigit() or not 0 < int(raw_page) < 100_000:
                errors[self.page_query_param] = ["Give a page number from 1, or follow the next link."]
            else:
                page_number = int(raw_page)
        if errors:
            raise ValidationError(errors)
        try:
            self.directory: DirectoryPage = directory_page(
                filters,
                viewer=viewer,
                size=self.get_page_size(request) or self.page_size or 25,
                after=params.get(self.after_query_param, "")[:400],
                before=params.get(self.before_query_param, "")[:400],
                page_number=page_number,
            )
        except ValueError as error:
            name = self.before_query_param if params.get(self.before_query_param) else self.after_query_param
            raise ValidationError({name: [str(error)]}) from error
        return self.directory.people

    def _link(self, param: str, cursor: str | None) -> str | None:
        if cursor is None or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        for name in (self.page_query_param, self.after_query_param, self.before_query_param):
            url = remove_query_param(url, name)
        return replace_query_param(url, param, cursor)

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "count": self.directory.count.value,
                "count_capped": self.directory.count.capped,
                "next": self._link(self.after_query_param, self.directory.next_cursor),
                "previous": self._link(self.before_query_param, self.directory.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "count_capped", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": COUNT_CAP,
                    "description": f"How many people match, counted up to {COUNT_CAP:,} (see count_capped).",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": f"True when more than {COUNT_CAP:,} people match.",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page (an after= cursor); null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The page before (a before= cursor); null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        return [
            {
                "name": self.after_query_param,
                "required": False,
                "in": "query",
                "description": "A cursor from a next link: the page after it.",
                "schema": {"type": "string", "maxLength": 400},
            },
            {
                "name": self.before_query_param,
                "required": False,
                "in": "query",
                "description": "A cursor from a previous link: the page before it.",
                "schema": {"type": "string", "maxLength": 400},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Deprecated: a page number (1, 2, …); follow the next link instead. "
                "Ignored with after or before; past the end, an empty page.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 99_999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"People per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
