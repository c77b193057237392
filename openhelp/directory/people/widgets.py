"""Form widgets that static/js/autocomplete.js turns into searchable pickers (plain controls without it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html


class SearchableSelectMultiple(forms.SelectMultiple):
    """A ``<select multiple>`` that becomes a search box with chips (each with a remove button).

    Without JavaScript it stays a working list box; the hint on how to pick several is then shown, and
    the script hides it (``data-no-js-hint``).
    """

    class Media:
        js = ["js/autocomplete.js"]

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        add_label: str = "Add",
        chosen_label: str = "Chosen",
        placeholder: str = "Type to search",
    ) -> None:
        base = {
            "size": 6,
            "data-multi-picker": "",
            "data-picker-label": add_label,
            "data-picker-chosen": chosen_label,
            "data-picker-placeholder": placeholder,
        }
        base.update(attrs or {})
        super().__init__(attrs=base)

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        hint = format_html(
            '<p class="helptext" data-no-js-hint>{}</p>', "Hold Ctrl (⌘ on a Mac) to choose several."
        )
        return format_html("{}{}", select, hint)
