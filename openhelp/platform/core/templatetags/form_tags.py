"""Template helpers for forms: the fields that need a look, for the summary at the top of a long form."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def fields_with_errors(form: forms.BaseForm) -> list[forms.BoundField]:
    """The form's bound fields with an error, in the form's order (hidden ones too: they are named)."""
    return [field for field in form if field.errors]
