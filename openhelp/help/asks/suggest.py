"""Help while writing: skills the text mentions, and how many experts could take the ask this week."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from openhelp.directory.skills.models import Skill, SkillAlias, normalise_skill_name
from openhelp.help.asks.ports import routing

SUGGESTION_LIMIT = 5
# Keeps the characters skill names use inside a word: C++, C#, Node.js, A/B, CI/CD, scikit-learn.
WORD = re.compile(r"[\w][\w+#./-]*", re.UNICODE)
# One-letter words that are nearly always English, not the languages "R" or "C".
SKIP_SINGLE = {"a", "i"}


def text_ngrams(text: str) -> Counter[str]:
    """Each word and each pair of neighbouring words, normalised like skill names, with their counts."""
    words = [w.rstrip("./-") for w in WORD.findall(normalise_skill_name(text))]
    words = [w for w in words if w and w not in SKIP_SINGLE]
    grams: Counter[str] = Counter(words)
    grams.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return grams


def suggest_skills(
    *, text: str, user, exclude_ids: Iterable[int] = (), limit: int = SUGGESTION_LIMIT
) -> list[Skill]:
    """Skills (by name or alias) that the text mentions, most mentioned first, not already chosen.

    Two queries, whatever the length of the text.
    """
    grams = text_ngrams(text[:20_000])
    if not grams:
        return []
    excluded = set(exclude_ids)
    visible = Skill.objects.visible_to(user)
    hits: Counter[int] = Counter()
    skills: dict[int, Skill] = {}
    for skill in visible.filter(normalised_name__in=list(grams)).exclude(pk__in=excluded):
        skills[skill.pk] = skill
        hits[skill.pk] += grams[skill.normalised_name]
    aliases = (
        SkillAlias.objects.filter(normalised_name__in=list(grams), skill__in=visible)
        .exclude(skill_id__in=excluded)
        .select_related("skill")
    )
    for alias in aliases:
        skills.setdefault(alias.skill_id, alias.skill)
        hits[alias.skill_id] += grams[alias.normalised_name]
    # Longer names are more specific ("machine learning" before "learning"), then alphabetical.
    ranked = sorted(skills.values(), key=lambda s: (-hits[s.pk], -len(s.normalised_name), s.normalised_name))
    return ranked[:limit]


def candidate_preview(*, skill_ids: list[int], language_ids: list[int], mentee) -> tuple[int | None, str]:
    """How many experts could take this ask this week (None when it cannot be told), and that in words."""
    if not skill_ids:
        return None, "Add skills to see how many experts could help this week."
    count = routing().count_candidates(skill_ids=skill_ids, language_ids=language_ids, mentee=mentee)
    if count == 0:
        return (
            0,
            "No expert with these skills has time this week; you can still publish and we will keep looking.",
        )
    if count == 1:
        return 1, "1 expert could take this ask this week."
    return count, f"{count} experts could take this ask this week."
