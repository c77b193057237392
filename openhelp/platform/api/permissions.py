"""Who may call an operation, beyond being signed in."""

from __future__ import annotations

from rest_framework import exceptions, permissions


class IsOrganiserElse404(permissions.BasePermission):
    """Organiser-only operations answer 404 to a signed-in member, so they do not reveal themselves; a caller
    who is not signed in gets the 401 (and ``WWW-Authenticate``) of every other operation."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not request.user.is_organiser:
            raise exceptions.NotFound()
        return True


class IsSiteAdminElse404(permissions.BasePermission):
    """Operations that decide who signs in as whom (identity providers, SCIM tokens): site administrators
    (``User.is_site_admin``) only; anyone else signed in gets 404, as with ``IsOrganiserElse404``."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not request.user.is_site_admin:
            raise exceptions.NotFound()
        return True
