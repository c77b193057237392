"""The takeaways library: what sessions left behind, published with both participants' consent.

An entry holds copies of a debrief's takeaways and resources — never notes, ratings or feedback — and the
session's skills. It credits the mentor (help given is recognition); the mentee stays anonymous, since
what someone needed help with is theirs to share.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from openhelp.platform.lib.clock import now


class LibraryEntry(models.Model):
    debrief = models.OneToOneField(
        "mentoring.Debrief", null=True, blank=True, on_delete=models.SET_NULL, related_name="library_entry"
    )
    title = models.CharField(max_length=200)
    takeaways = models.JSONField(default=list, blank=True, help_text="A short list of sentences.")
    resources = models.JSONField(default=list, blank=True, help_text='[{"title": …, "url": "https://…"}]')
    skills = models.ManyToManyField("skills.Skill", blank=True, related_name="library_entries")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_entries_helped",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_text = models.TextField(blank=True, editable=False, help_text="Case-folded text for search.")
    published_at = models.DateTimeField(default=now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = "library entries"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:detail", args=[self.pk])

    def is_participant(self, user) -> bool:
        return user.is_authenticated and user.pk in (self.mentor_id, self.mentee_id)
