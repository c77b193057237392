"""The demo organisation's activity: asks, offers, office hours, sessions, recognition and more (build.py)."""

from openhelp.demo.activity.build import ActivitySummary, seed_activity

__all__ = ["ActivitySummary", "seed_activity"]
