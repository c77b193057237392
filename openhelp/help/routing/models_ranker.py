"""The learned ranker an organisation (or one programme) uses, with its quality and the revert switch."""

from __future__ import annotations

from django.db import models

from openhelp.platform.lib.clock import now


class LearnedRanker(models.Model):
    """One fitted model per scope: the whole organisation (``programme`` empty) or one programme.

    ``passed_guard`` is the fitting task's verdict (the model beat the default weights on the most
    recent asks); ``use_defaults`` is the organisers' switch back to the default weights. Ranking uses
    the model only when it passed the guard and nobody switched it off.
    """

    scope = models.CharField(max_length=40, unique=True, help_text='"organisation" or "programme-<id>".')
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    model_text = models.TextField(blank=True, help_text="The fitted LightGBM model; empty when none fitted.")
    skill_graph = models.JSONField(default=dict, help_text="Skills asked together, as fitted.")
    fitted_at = models.DateTimeField(default=now)
    passed_guard = models.BooleanField(default=False)
    guard_reason = models.CharField(max_length=200, blank=True)
    use_defaults = models.BooleanField(default=False, help_text="Organisers switched back to the defaults.")
    mrr_default = models.FloatField(default=0, help_text="MRR of the default weights on the guard asks.")
    mrr_learned = models.FloatField(default=0, help_text="MRR of the learned model on the guard asks.")
    guard_asks = models.PositiveIntegerField(default=0)
    fitted_asks = models.PositiveIntegerField(default=0)
    fit_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["scope"]

    def __str__(self) -> str:
        return f"Learned ranker for {self.programme or 'the organisation'}"

    @staticmethod
    def scope_for(programme) -> str:
        return "organisation" if programme is None else f"programme-{programme.pk}"

    @property
    def in_use(self) -> bool:
        return bool(self.model_text) and self.passed_guard and not self.use_defaults
