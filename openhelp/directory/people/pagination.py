"""Pages of the people API: keyset cursors (``after=``/``before=``) served by the directory's index, page
numbers still accepted (``KeysetPagination`` says what clients see)."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError

from openhelp.directory.people.directory import DirectoryFilters, DirectoryPage, directory_page
from openhelp.directory.people.keyset import COUNT_CAP
from openhelp.platform.api.pagination import KeysetPagination


class PeopleKeysetPagination(KeysetPagination):
    count_cap = COUNT_CAP
    noun = "people"
    count_description = "How many people match, counted up to {cap:,} (see count_capped)."
    capped_description = "True when more than {cap:,} people match."

    def paginate_directory(self, request, filters: DirectoryFilters, *, viewer) -> list:
        page_number = self.page_number(request)
        after = self.cursor(request, self.next_query_param)
        before = self.cursor(request, self.previous_query_param)
        try:
            directory: DirectoryPage = directory_page(
                filters,
                viewer=viewer,
                size=self.get_page_size(request) or self.page_size or 25,
                after=after,
                before=before,
                page_number=page_number,
            )
        except ValueError as error:
            name = self.previous_query_param if before else self.next_query_param
            raise ValidationError({name: [str(error)]}) from error
        self.keep_page(
            request,
            count=directory.count.value,
            capped=directory.count.capped,
            next_cursor=directory.next_cursor,
            previous_cursor=directory.previous_cursor,
        )
        return directory.people
