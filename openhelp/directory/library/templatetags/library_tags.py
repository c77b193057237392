"""Template tags for the library pieces other apps' pages include (skill page, ask form)."""

from __future__ import annotations

from django import template

from openhelp.directory.library import services
from openhelp.directory.skills.services import resolve_skill

register = template.Library()
SHOWN_ON_SKILL_PAGE = 5
MAX_FORM_SKILLS = 10
CARD_COLUMNS = (
    "title",
    "takeaways",
    "published_at",
    "mentor",
    "mentor__email",
    "mentor__profile__display_name",
)


@register.simple_tag(takes_context=True)
def library_for_skill(context, skill) -> dict:
    """``{% library_for_skill skill as library %}``: {"entries": the newest few, "count": all of them}."""
    request = context.get("request")
    if skill is None or request is None:
        return {"entries": [], "count": 0}
    entries = services.entries_for_skill(skill=skill, user=request.user)
    # the columns a card shows (library/_entry.html), not the search text and resources of each entry
    shown = list(entries.only(*CARD_COLUMNS)[:SHOWN_ON_SKILL_PAGE])
    # fewer than a full list: that is all of them, no need to count
    count = entries.count() if len(shown) == SHOWN_ON_SKILL_PAGE else len(shown)
    return {"entries": shown, "count": count}


@register.simple_tag(takes_context=True)
def library_for_ask_form(context, form) -> list:
    """``{% library_for_ask_form form as entries %}``: suggestions for the skills in the ask form now."""
    request = context.get("request")
    if form is None or request is None:
        return []
    names = []
    for name in list(form.fields)[:50]:
        if name.startswith("skill_"):
            value = form[name].value()
            names.append(getattr(value, "name", value))
    skills = [resolve_skill(str(name), user=request.user) for name in names[:MAX_FORM_SKILLS] if name]
    return services.suggestions_for_skills(
        skill_ids={skill.pk for skill in skills if skill is not None}, user=request.user
    )
