"""On PostgreSQL the directory's free-text search can use trigram indexes (unanchored LIKE)."""

from __future__ import annotations

import pytest
from django.db import connection

from openhelp.directory.people.directory import DirectoryFilters, search_profiles
from openhelp.directory.people.models import Profile
from openhelp.platform.lib.sql import supports_trigram_indexes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not supports_trigram_indexes(), reason="trigram indexes are PostgreSQL-only"),
]


def test_the_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"])
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "people_profile_display_name_trgm",
        "people_profile_headline_trgm",
        "people_profile_bio_trgm",
        "people_skilloffer_note_trgm",
    } <= names


def test_the_name_search_can_use_its_index():
    # With sequential scans priced out, the plan shows whether the index expression matches the lookup.
    queryset = Profile.objects.filter(display_name__icontains="postgres")
    with connection.cursor() as cursor:
        # Price out sequential and plain index scans: a B-tree cannot serve LIKE '%…%' as a bitmap scan,
        # so what remains shows whether the trigram index matches the lookup's expression.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "people_profile_display_name_trgm" in plan


def test_the_directory_search_can_use_the_indexes():
    queryset = search_profiles(DirectoryFilters(q="postgres"))
    with connection.cursor() as cursor:
        # Price out sequential and plain index scans: a B-tree cannot serve LIKE '%…%' as a bitmap scan,
        # so what remains shows whether the trigram index matches the lookup's expression.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        # The keyset order's (display_name, id) B-tree covers "SELECT id … WHERE display_name LIKE" and,
        # on an empty table, its index-only scan is priced below the trigram one: price it out too.
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        plan = queryset.explain()
    for index in ("display_name", "headline", "bio"):
        assert f"people_profile_{index}_trgm" in plan
    assert "people_skilloffer_note_trgm" in plan
