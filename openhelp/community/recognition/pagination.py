"""Pages of the kudos feed API: keyset cursors in the ``next``/``previous`` links, page numbers still
accepted — as the people API does (openhelp/directory/people/pagination.py).

The response keeps the shape clients know (``count``, ``next``, ``previous``, ``results``). What changed:
``next`` carries a ``before=`` cursor (older kudos) and ``previous`` an ``after=`` cursor (newer ones)
instead of ``page=`` (clients that follow the links need no change), ``count`` stops at ``COUNT_CAP`` with
``count_capped`` saying so, and a ``page`` past the end answers an empty list instead of 404.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from openhelp.community.recognition.feed import (
    COUNT_CAP,
    FeedKey,
    FeedPage,
    capped_feed_count,
    feed_keyset_page,
)
from openhelp.platform.api.pagination import PageNumberPagination


class KudosFeedPagination(PageNumberPagination):
    before_query_param = "before"
    after_query_param = "after"

    def paginate_feed(self, request, *, skill_ids: set[int] | None) -> list:
        self.request = request
        params = request.query_params
        raw_page = params.get(self.page_query_param, "")
        page_number = None
        if raw_page:
            if not raw_page.isdigit() or not 0 < int(raw_page) < 100_000:
                raise ValidationError(
                    {self.page_query_param: ["Give a page number from 1, or follow the next link."]}
                )
            page_number = int(raw_page)
        keys: dict[str, FeedKey | None] = {}
        for name in (self.before_query_param, self.after_query_param):
            raw = params.get(name, "")[:400]
            try:
                keys[name] = FeedKey.decode(raw) if raw else None
            except ValueError as error:
                raise ValidationError({name: [str(error)]}) from error
        self.feed: FeedPage = feed_keyset_page(
            skill_ids=skill_ids,
            size=self.get_page_size(request) or self.page_size or 25,
            before=keys[self.before_query_param],
            after=keys[self.after_query_param],
            page_number=page_number,
        )
        self.count = capped_feed_count(skill_ids=skill_ids)
        return self.feed.kudos

    def _link(self, param: str, key: FeedKey | None) -> str | None:
        if key is None or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        for name in (self.page_query_param, self.before_query_param, self.after_query_param):
            url = remove_query_param(url, name)
        return replace_query_param(url, param, key.encode())

    def get_paginated_response(self, data) -> Response:
        value, capped = self.count
        return Response(
            {
                "count": value,
                "count_capped": capped,
                "next": self._link(self.before_query_param, self.feed.older),
                "previous": self._link(self.after_query_param, self.feed.newer),
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
                    "description": f"How many kudos the feed holds, counted up to {COUNT_CAP:,} "
                    "(see count_capped).",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": f"True when the feed holds more than {COUNT_CAP:,} kudos.",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "Older kudos (a before= cursor); null on the oldest page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "Newer kudos (an after= cursor); null on the newest page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        return [
            {
                "name": self.before_query_param,
                "required": False,
                "in": "query",
                "description": "A cursor from a next link: the kudos older than it.",
                "schema": {"type": "string", "maxLength": 400},
            },
            {
                "name": self.after_query_param,
                "required": False,
                "in": "query",
                "description": "A cursor from a previous link: the kudos newer than it.",
                "schema": {"type": "string", "maxLength": 400},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Deprecated: a page number (1, 2, …); follow the next link instead. "
                "Ignored with before or after; past the end, an empty page.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 99_999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Kudos per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
