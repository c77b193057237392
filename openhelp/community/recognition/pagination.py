"""Pages of the kudos feed API: keyset cursors, newest first — ``next`` carries ``before=`` (older kudos),
``previous`` ``after=`` (newer ones) — and page numbers still accepted (``KeysetPagination`` says what
clients see)."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError

from openhelp.community.recognition.feed import COUNT_CAP, FeedKey, capped_feed_count, feed_keyset_page
from openhelp.platform.api.pagination import KeysetPagination


class KudosFeedPagination(KeysetPagination):
    next_query_param = "before"
    previous_query_param = "after"
    count_cap = COUNT_CAP
    noun = "kudos"
    count_description = "How many kudos the feed holds, counted up to {cap:,} (see count_capped)."
    capped_description = "True when the feed holds more than {cap:,} kudos."
    next_description = "Older kudos (a {param}= cursor); null on the oldest page."
    previous_description = "Newer kudos (an {param}= cursor); null on the newest page."
    next_parameter_description = "A cursor from a next link: the kudos older than it."
    previous_parameter_description = "A cursor from a previous link: the kudos newer than it."

    def paginate_feed(self, request, *, skill_ids: set[int] | None) -> list:
        page_number = self.page_number(request)
        keys: dict[str, FeedKey | None] = {}
        for name in (self.next_query_param, self.previous_query_param):
            raw = self.cursor(request, name)
            try:
                keys[name] = FeedKey.decode(raw) if raw else None
            except ValueError as error:
                raise ValidationError({name: [str(error)]}) from error
        feed = feed_keyset_page(
            skill_ids=skill_ids,
            size=self.get_page_size(request) or self.page_size or 25,
            before=keys[self.next_query_param],
            after=keys[self.previous_query_param],
            page_number=page_number,
        )
        count, capped = capped_feed_count(skill_ids=skill_ids)
        self.keep_page(
            request,
            count=count,
            capped=capped,
            next_cursor=feed.older.encode() if feed.older else None,
            previous_cursor=feed.newer.encode() if feed.newer else None,
        )
        return feed.kudos
