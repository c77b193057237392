"""The API's pages: page numbers by default, keyset cursors for the lists that grow with the organisation.

``KeysetPagination`` is the shape both large lists share (the people API, the kudos feed): the response keeps
what clients know (``count``, ``next``, ``previous``, ``results``), ``next``/``previous`` carry cursors
instead of ``page=`` (clients that follow the links need no change), ``count`` stops at a cap with
``count_capped`` saying so, and a ``page`` number is still accepted (deprecated; past the end, an empty
list instead of 404). A subclass reads its page and calls ``keep_page``; the words of its schema are its own.
"""

from __future__ import annotations

from typing import Any

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from openhelp.platform.lib.numbers import number_from_text

CURSOR_MAX_LENGTH = 400
PAGE_MAX = 99_999
PAGES = range(1, PAGE_MAX + 1)


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages by number. A ``page`` or ``page_size`` that is not a sensible number is a 400 that says so,
    never quietly the first page or the default size; a page past the last is a 404 that says which."""

    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "There is no page {page_number}: follow the next links from the first page."

    def get_page_size(self, request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param, "")
        if not raw:
            return self.page_size
        size = number_from_text(raw, within=range(1, self.max_page_size + 1))
        if size is None:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a number of items per page from 1 to {self.max_page_size}."
                    ]
                }
            )
        return size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "")
        if raw and raw not in self.last_page_strings and number_from_text(raw, within=PAGES) is None:
            raise ValidationError({self.page_query_param: ["Give a page number from 1, or “last”."]})
        return super().get_page_number(request, paginator)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            **super().get_paginated_response_schema(schema),
            "required": ["count", "next", "previous", "results"],
        }

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        bounds = {
            self.page_query_param: {"minimum": 1, "maximum": PAGE_MAX},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], **bounds.get(parameter["name"], {})}
        return parameters


class KeysetPagination(PageNumberPagination):
    next_query_param = "after"  # the cursor a next link carries
    previous_query_param = "before"
    count_cap: int
    noun = "items"  # "People per page", in the schema
    count_description = "How many items there are, counted up to {cap:,} (see count_capped)."
    capped_description = "True when there are more than {cap:,}."
    next_description = "The next page (an {param}= cursor); null on the last page."
    previous_description = "The page before (a {param}= cursor); null on the first page."
    next_parameter_description = "A cursor from a next link: the page after it."
    previous_parameter_description = "A cursor from a previous link: the page before it."

    def page_number(self, request) -> int | None:
        """The deprecated ``page=`` number, or ``None``; a 400 for anything but a sensible number."""
        raw = request.query_params.get(self.page_query_param, "")
        if not raw:
            return None
        number = number_from_text(raw, within=PAGES)
        if number is None:
            raise ValidationError(
                {self.page_query_param: ["Give a page number from 1, or follow the next link."]}
            )
        return number

    def cursor(self, request, param: str) -> str:
        return request.query_params.get(param, "")[:CURSOR_MAX_LENGTH]

    def keep_page(
        self, request, *, count: int, capped: bool, next_cursor: str | None, previous_cursor: str | None
    ):
        self.request = request
        self.page_count = (count, capped)
        self.cursors = (next_cursor, previous_cursor)

    def _link(self, param: str, cursor: str | None) -> str | None:
        if cursor is None or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        for name in (self.page_query_param, self.next_query_param, self.previous_query_param):
            url = remove_query_param(url, name)
        return replace_query_param(url, param, cursor)

    def get_paginated_response(self, data) -> Response:
        count, capped = self.page_count
        next_cursor, previous_cursor = self.cursors
        return Response(
            {
                "count": count,
                "count_capped": capped,
                "next": self._link(self.next_query_param, next_cursor),
                "previous": self._link(self.previous_query_param, previous_cursor),
                "results": data,
            }
        )

    def _link_schema(self, description: str, param: str) -> dict[str, Any]:
        return {
            "type": "string",
            "nullable": True,
            "format": "uri",
            "description": description.format(param=param),
        }

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        cap = self.count_cap
        return {
            "type": "object",
            "required": ["count", "count_capped", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": cap,
                    "description": self.count_description.format(cap=cap),
                },
                "count_capped": {"type": "boolean", "description": self.capped_description.format(cap=cap)},
                "next": self._link_schema(self.next_description, self.next_query_param),
                "previous": self._link_schema(self.previous_description, self.previous_query_param),
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        def cursor(name: str, description: str) -> dict[str, Any]:
            schema = {"type": "string", "maxLength": CURSOR_MAX_LENGTH}
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": schema,
            }

        return [
            cursor(self.next_query_param, self.next_parameter_description),
            cursor(self.previous_query_param, self.previous_parameter_description),
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Deprecated: a page number (1, 2, …); follow the next link instead. "
                f"Ignored with {self.next_query_param} or {self.previous_query_param}; past the end, an empty page.",
                "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"{self.noun.capitalize()} per page (default {self.page_size}, "
                f"at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
