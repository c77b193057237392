"""Factories for library entries, plus a bulk builder for the query-count guard."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.skills.models import normalise_skill_name


class LibraryEntryFactory(DjangoModelFactory):
    class Meta:
        model = LibraryEntry
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Takeaways {n}")
    takeaways = factory.LazyFunction(lambda: ["Use a two-proportion z-test for conversion rates."])
    resources = factory.LazyFunction(lambda: [{"title": "Calculator", "url": "https://example.org/calc"}])
    search_text = factory.LazyAttribute(
        lambda o: normalise_skill_name(" ".join([o.title, *o.takeaways, *(r["title"] for r in o.resources)]))
    )

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


def make_entries(n: int, *, skills=(), mentor=None, text: str = "indexes") -> list[LibraryEntry]:
    entries = LibraryEntry.objects.bulk_create(
        [
            LibraryEntry(
                title=f"Takeaways on {text} {i}",
                takeaways=[f"Check the {text} first ({i})."],
                resources=[{"title": "Docs", "url": "https://example.org/docs"}],
                mentor=mentor,
                search_text=normalise_skill_name(
                    f"Takeaways on {text} {i} Check the {text} first ({i}). Docs"
                ),
            )
            for i in range(n)
        ]
    )
    through = LibraryEntry.skills.through
    through.objects.bulk_create(
        [through(libraryentry_id=e.pk, skill_id=s.pk) for e in entries for s in skills]
    )
    return entries
