"""The one mapping from a service's ValidationError to a Django form's errors (the API side is openhelp/platform/api/errors.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, mapping: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError next to the matching field, the rest at the top of the form.

    ``mapping`` renames a service field to the form's (``{"resources": "resource_1_url"}``); an error on a
    field the form does not have goes to the top, so nothing the service said is lost.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.message_dict.items():
        target = (mapping or {}).get(field, field)
        form.add_error(target if target in form.fields else None, field_errors)
