"""Offline evaluation of the matching engine on expert-finding data (see docs/matching.md)."""

from openhelp.directory.matching.evaluation.dataset import DatasetError, load_dataset
from openhelp.directory.matching.evaluation.protocol import evaluate

__all__ = ["DatasetError", "evaluate", "load_dataset"]
