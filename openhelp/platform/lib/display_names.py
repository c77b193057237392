"""People's names as others see them: one normal form, and nothing invisible or out of line.

A name is shown in the directory, in e-mails and in calendar invites. A zero-width space makes
"Ada Lovelace" and "Ada Love\u200blace" two different people who look the same; a right-to-left override
turns the rest of a line around; a line break ends an e-mail header or an iCalendar line. So every path
that sets a name uses ``clean_display_name`` (field error on bad input), and every save goes through
``sanitise_display_name`` (drops what slipped through, so nothing stored is ever invisible).

The normal form is NFKC (compatibility characters such as full-width letters or ligatures become the
plain ones), with whitespace trimmed and runs of it collapsed to one space.

Refused: control characters (Cc: line breaks, tabs, NUL…), format characters (Cf: zero-width spaces,
bidirectional overrides, soft hyphens…), line and paragraph separators (Zl, Zp), surrogates (Cs) and
private-use characters (Co). One exception, as in IDNA (RFC 5892, CONTEXTJ) and PRECIS (RFC 8264): the
zero-width (non-)joiner is part of correct spelling in some scripts, so it is allowed after a virama
(Devanagari, Bengali, …) and the non-joiner between two Arabic-script letters (Persian names) — never
between Latin letters, where it would only hide.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})
ZWNJ, ZWJ = "\u200c", "\u200d"
VIRAMA_COMBINING_CLASS = 9

EMPTY_MESSAGE = "Enter a name."
REFUSED_MESSAGE = (
    "Names cannot contain line breaks, tabs or invisible characters: remove %(character)s "
    "at character %(position)d."
)


def _is_arabic_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L") and unicodedata.name(char, "").startswith("ARABIC")


def _joiner_allowed(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if before and unicodedata.combining(before) == VIRAMA_COMBINING_CLASS:
        return True
    return (
        text[index] == ZWNJ
        and bool(before and after)
        and _is_arabic_letter(before)
        and _is_arabic_letter(after)
    )


def _refused_positions(text: str) -> list[int]:
    return [
        index
        for index, char in enumerate(text)
        if unicodedata.category(char) in REFUSED_CATEGORIES
        and not (char in (ZWNJ, ZWJ) and _joiner_allowed(text, index))
    ]


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in "\n\r\x0b\x0c\x85\u2028\u2029":
        return f"the line break ({code})"
    if char == "\t":
        return f"the tab ({code})"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else f"the control character {code}"


def validate_display_name(value: str) -> None:
    """Refuse control and format characters (leading and trailing whitespace does not count)."""
    text = value.strip()
    refused = _refused_positions(text)
    if refused:
        index = refused[0]
        raise ValidationError(
            REFUSED_MESSAGE,
            code="invisible_character",
            params={"character": _describe(text[index]), "position": index + 1},
        )


def normalise_display_name(value: str) -> str:
    """NFKC, trimmed, whitespace collapsed. Call it on a name ``validate_display_name`` accepted."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


def clean_display_name(value: str) -> str:
    """The name to store, or a ValidationError that says what to change."""
    validate_display_name(value)
    name = normalise_display_name(value)
    if not name:
        raise ValidationError(EMPTY_MESSAGE, code="required")
    return name


def sanitise_display_name(value: str) -> str:
    """Never fails: line breaks become spaces, other refused characters are dropped, then normalised.

    For what is already stored (a data migration) and as the last guard on save; input paths use
    ``clean_display_name`` so the person is told instead.
    """
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value)
    refused = set(_refused_positions(text))
    return normalise_display_name("".join(c for i, c in enumerate(text) if i not in refused))


class DisplayNameFormField(forms.CharField):
    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return clean_display_name(value) if value not in self.empty_values else value


class DisplayNameField(models.CharField):  # type: ignore[type-arg]  # set/get types come from CharField
    """A CharField for people's names: cleaned by ``full_clean`` and forms, sanitised on every save
    (``save()`` and ``bulk_create``; ``bulk_update`` and ``update()`` skip ``pre_save``, so their callers
    clean first). DRF serializers pick up ``validate_display_name`` from the field's validators."""

    default_validators = [validate_display_name]

    def clean(self, value: Any, model_instance: models.Model | None) -> Any:
        # Not in to_python: that also prepares every query value (a search for a pasted name must not fail).
        value = super().clean(value, model_instance)
        if value in self.empty_values:
            return value
        value = clean_display_name(value)
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(
                "Keep the name to %(limit)d characters or fewer.",
                code="max_length",
                params={"limit": self.max_length},
            )
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            # NFKC can lengthen a name that skipped validation; never let that become a database error.
            value = sanitise_display_name(value)[: self.max_length]
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs: Any) -> forms.Field | None:  # type: ignore[override]
        return super().formfield(**{"form_class": DisplayNameFormField, **kwargs})
