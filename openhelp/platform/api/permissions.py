"""Who may call an operation, beyond being signed in."""

from __future__ import annotations

from rest_framework import exceptions, permissions


class _RoleElse404(permissions.BasePermission):
    """Operations for one role answer 404 to anyone else signed in, so they do not reveal themselves; a
    caller who is not signed in gets the 401 (and ``WWW-Authenticate``) of every other operation."""

    role = ""  # a true attribute of the user, such as ``is_organiser``

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not getattr(request.user, self.role, False):
            raise exceptions.NotFound()
        return True


class IsOrganiserElse404(_RoleElse404):
    """Organiser-only operations."""

    role = "is_organiser"


class IsSiteAdminElse404(_RoleElse404):
    """Operations that decide who signs in as whom (identity providers, SCIM tokens): site administrators
    (``User.is_site_admin``) only."""

    role = "is_site_admin"
