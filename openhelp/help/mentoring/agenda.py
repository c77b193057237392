"""Agenda templates: a light structure for a short session, split over its planned length."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateStep:
    title: str
    hint: str
    share: float  # of the planned length


@dataclass(frozen=True)
class AgendaTemplate:
    key: str
    label: str
    steps: tuple[TemplateStep, ...]


SKILL_TRANSFER = "skill_transfer"
ADVICE = "advice"
REVIEW = "review"
BLANK = "blank"

TEMPLATES: dict[str, AgendaTemplate] = {
    t.key: t
    for t in (
        AgendaTemplate(
            SKILL_TRANSFER,
            "Skill transfer — watch one / do one / debrief",
            (
                TemplateStep(
                    "Objective and preparation", "Say the goal again; go through the questions.", 0.1
                ),
                TemplateStep("Watch one", "The mentor does it once, thinking aloud.", 0.3),
                TemplateStep("Do one", "The mentee does it; the mentor watches and nudges.", 0.4),
                TemplateStep("Debrief", "What worked, what to practise, takeaways and resources.", 0.2),
            ),
        ),
        AgendaTemplate(
            ADVICE,
            "Advice",
            (
                TemplateStep("The situation", "What is going on and what was tried.", 0.3),
                TemplateStep("Options", "Two or three ways forward and their trade-offs.", 0.4),
                TemplateStep("Next steps", "What the mentee will do first, and by when.", 0.3),
            ),
        ),
        AgendaTemplate(
            REVIEW,
            "Review my work",
            (
                TemplateStep("What to look at", "The piece of work and the feedback wanted.", 0.15),
                TemplateStep("Walk-through", "The mentee shows it; the mentor asks questions.", 0.35),
                TemplateStep("Feedback", "Strengths first, then the most important changes.", 0.35),
                TemplateStep("Next steps", "What to change first; takeaways and resources.", 0.15),
            ),
        ),
        AgendaTemplate(BLANK, "Blank — we make our own", ()),
    )
}
CHOICES = [(t.key, t.label) for t in TEMPLATES.values()]


def default_template(*, is_async: bool) -> str:
    """A call starts as a skill transfer (the protocol the product is built on); async answers start blank."""
    return BLANK if is_async else SKILL_TRANSFER


def planned_steps(key: str, *, minutes: int | None) -> list[tuple[str, str, int | None]]:
    """(title, hint, minutes) for each step of template ``key``, split over ``minutes`` if known."""
    template = TEMPLATES[key]
    return [
        (step.title, step.hint, max(1, round(step.share * minutes)) if minutes else None)
        for step in template.steps
    ]
