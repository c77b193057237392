"""Conditional changes: a read answers an ``ETag``, a change sent with ``If-Match`` is refused (412) when
the object changed since.

Without it two people editing one object (the mentor and the mentee on a debrief's takeaways, two
organisers on a programme, a script and the page on an ask) each overwrote the other without knowing.
``If-Match`` is optional — a change without it is made as before — and ``*`` matches anything. The tag is
the object's version (its ``updated_at``, which every write of it sets), not a hash of the answer: an
answer also says things that move on their own (an ask's estimated wait, how many experts it is offered
to), and a tag that changed with them would refuse changes nobody made. The check comes just before the
change, without a lock: it catches an edit made since the client read, not one in the same instant.

A view mixes in ``ConditionalEdits`` and says what its version is (``version``); its schema gets the
header, the 412 and the ``ETag`` (``schema.AutoSchema``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from rest_framework import exceptions, status

WRITES = {"PATCH", "PUT", "DELETE"}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "It changed since you read it: read it again (a new ETag) and make your change on that."
    default_code = "changed_since_read"


class ConditionalEdits:
    """An API view mixin: ``ETag`` on its answers, ``If-Match`` honoured on its PATCH, PUT and DELETE."""

    # ``version(request, **url_kwargs)``: what changes whenever the object does (its ``updated_at``; None
    # for one not made yet). Raises Http404, like the view, for an object the caller cannot see.
    version: Callable[..., object]

    def etag(self, request, kwargs) -> str:
        raw = f"{type(self).__name__}:{sorted(kwargs.items())}:{self.version(request, **kwargs)}"
        return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        wanted = request.headers.get("If-Match")
        if wanted is None or request.method not in WRITES:
            return
        tags = {tag.strip() for tag in wanted.split(",")}
        if "*" not in tags and self.etag(request, kwargs) not in tags:
            raise PreconditionFailed()

    def finalize_response(self, request, response, *args, **kwargs):
        if request.method in {"GET", "HEAD", "PATCH", "PUT"} and response.status_code == status.HTTP_200_OK:
            response["ETag"] = self.etag(request, kwargs)
        return super().finalize_response(request, response, *args, **kwargs)
