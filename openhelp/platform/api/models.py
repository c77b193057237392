"""What the API itself keeps: the first answer to each create sent with an ``Idempotency-Key``."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openhelp.platform.lib.clock import now


class IdempotentRequest(models.Model):
    """A POST sent with an ``Idempotency-Key`` (``api/idempotency.py``): claimed before the view runs
    (``status`` empty), then its successful answer kept so that a retry gets it again. An answer that was
    an error is not kept: the row goes, and the same key may be sent again."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # the method, path and body it was first sent with
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
