"""Webhook endpoints and their deliveries in the admin: for looking, the organisers' pages are for changing.
The secret is never shown (only its last four characters)."""

from __future__ import annotations

from django.contrib import admin

from openhelp.integrations.webhooks.models import Delivery, Endpoint
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin


@admin.register(Endpoint)
class EndpointAdmin(PrivateTextAdmin):
    list_display = ("url", "description", "is_enabled", "failure_streak", "created_by", "created_at")
    list_filter = ("is_enabled",)
    fields = ("url", "description", "all_kinds", "kinds", "secret_hint", "is_enabled", "disabled_reason")
    readonly_fields = ("secret_hint",)


@admin.register(Delivery)
class DeliveryAdmin(PrivateTextAdmin):
    # The payload names people and what happened to them; the delivery log on the organiser page shows it.
    private_fields = ("payload",)
    list_display = ("kind", "endpoint", "status", "attempts", "last_status_code", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
