"""SCIM provisioning: the bearer tokens identity providers use, and what we keep of the directory's view
of a person or a team (its stable ``externalId``, the name parts our profile does not hold)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now


class ScimToken(models.Model):
    """One bearer token per identity provider. Only a SHA-256 of the secret is stored; the secret is shown
    once, when the token is made."""

    PREFIX = "scim_"

    name = models.CharField(max_length=80, help_text="Which identity provider uses it, e.g. Okta.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_four = models.CharField(max_length=4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "SCIM token"

    def __str__(self) -> str:
        return f"{self.name} (•••• {self.last_four})"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def generate_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ProvisionedPerson(models.Model):
    """The directory's side of a person. A person made by hand has none until the directory first
    touches them (linking by ``userName``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scim")
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    given_name = models.CharField(max_length=80, blank=True)
    family_name = models.CharField(max_length=80, blank=True)
    # DELETE keeps the person (their history stays): deactivated, and hidden from SCIM until re-created.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"SCIM {self.external_id or '-'} → {self.user_id}"


class ProvisionedTeam(models.Model):
    """The directory's side of a team (a SCIM Group)."""

    team = models.OneToOneField("people.Team", on_delete=models.CASCADE, related_name="scim")
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"SCIM group {self.external_id or '-'} → {self.team_id}"
