"""Offline evaluation of the matching engine on expert-finding data (see docs/matching.md)."""

from matching.evaluation.dataset import DatasetError, load_dataset
from matching.evaluation.protocol import evaluate

__all__ = ["DatasetError", "evaluate", "load_dataset"]
