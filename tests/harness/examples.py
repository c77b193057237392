"""How many examples a property test tries: a share in ``make test``, all of them in ``make bench``.

``make test`` has a budget of two minutes on two cores, and a few hypothesis tests that build database rows
for every example took a large part of it. In ``make test`` they try the smaller number given here; the
bench target runs the same files again with ``OTH_FULL_EXAMPLES=1``, which gives each test its full number.
A derandomized test tries the first examples of its full run, so ``make bench`` covers everything
``make test`` does and more.
"""

from __future__ import annotations

import os

FULL = os.environ.get("OTH_FULL_EXAMPLES") == "1"


def examples(*, full: int, test: int) -> int:
    """``full`` under ``OTH_FULL_EXAMPLES=1`` (``make bench``), otherwise ``test``."""
    return full if FULL else test
