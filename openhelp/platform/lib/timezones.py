from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError


@lru_cache(maxsize=1)
def available_timezones() -> tuple[str, ...]:
    return tuple(sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC"))


def validate_timezone(value: str) -> None:
    if value not in set(available_timezones()):
        raise ValidationError(
            "“%(value)s” is not a known time zone. Use an IANA name such as Europe/Berlin.",
            code="invalid_timezone",
            params={"value": value},
        )
