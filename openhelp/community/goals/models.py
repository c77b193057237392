"""Learning goals: skills a mentee sets out to build by a target date (e.g. a 21-day career-pivot plan).

A goal is its owner's alone. Its progress is not stored: it is read from what already happened —
sessions on its skills, their takeaways, endorsements — so it can never drift from the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from openhelp.platform.lib.clock import now

MAX_TITLE = 120
MAX_WHY = 500
MAX_GOAL_SKILLS = 5


class LearningGoal(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_goals"
    )
    title = models.CharField(max_length=MAX_TITLE)
    why = models.TextField(blank=True, max_length=MAX_WHY)
    skills = models.ManyToManyField("skills.Skill", related_name="learning_goals")
    target_date = models.DateField()
    achieved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("achieved_at").asc(nulls_first=True), "target_date", "pk"]
        indexes = [models.Index(fields=["owner", "target_date"])]

    def __str__(self) -> str:
        return f"Goal {self.pk}"  # the title is its owner's alone, and a name shows up in admin lists

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])

    @property
    def is_achieved(self) -> bool:
        return self.achieved_at is not None
