"""JSON from outside, read within limits: a ceiling on size and on nesting, checked before parsing.

Python's parser recurses once per level, so a body of a thousand ``[`` ends in a RecursionError (a 500)
and deep data costs every later walk over it. No input of ours nests more than a few levels.
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

MAX_DEPTH = 20
# A string runs to its closing quote, or to the end of an unterminated text: each match consumes what it
# scanned (possessive), so the scan stays linear even for a body of unbalanced quotes.
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")


class JSONRejected(ValueError):
    """The text is not JSON we accept; the message says why, in words for the person who sent it."""


def nests_deeper_than(text: str, depth: int) -> bool:
    """Whether arrays and objects in ``text`` nest more than ``depth`` levels (brackets in strings do not
    count). Peels the innermost level ``depth`` times, each a linear regex pass; a pair left is deeper."""
    skeleton = _NOT_BRACKET.sub("", _STRINGS.sub("", text))
    for _ in range(depth):
        skeleton, peeled = _INNERMOST.subn("", skeleton)
        if not peeled:
            return False
    return _INNERMOST.search(skeleton) is not None


def loads(text: str, *, max_depth: int = MAX_DEPTH, strict: bool = True) -> Any:
    """Parse ``text``, refusing nesting deeper than ``max_depth`` and (``strict``) NaN and Infinity."""
    if nests_deeper_than(text, max_depth):
        raise JSONRejected(f"The JSON nests more than {max_depth} levels deep.")

    def refuse_constant(name: str) -> NoReturn:
        raise JSONRejected(f"{name} is not a number JSON allows.")

    try:
        return json.loads(text, parse_constant=refuse_constant if strict else None)
    except json.JSONDecodeError as error:
        raise JSONRejected(f"This is not valid JSON ({error.msg}, line {error.lineno}).") from error
