"""An uploaded people file kept between its preview and its apply, for a short while, by its owner only."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now

BATCH_LIFETIME = dt.timedelta(hours=1)


def new_batch_token() -> str:
    return secrets.token_urlsafe(24)


class ImportBatch(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_batch_token, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches"
    )
    filename = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename or 'people.csv'} ({self.owner})"

    @property
    def expires_at(self) -> dt.datetime:
        return self.created_at + BATCH_LIFETIME

    def is_expired(self) -> bool:
        return now() >= self.expires_at
