"""The shared helpers on hot paths: Markdown converters reused per thread, ids sent as one parameter."""

from __future__ import annotations

import threading

import markdown as md
import pytest

from openhelp.platform.lib.markdown import EXTENSIONS, markdown_to_text, render_markdown
from openhelp.platform.lib.sql import InIds

SAMPLES = [
    "Hello *world*\n\n```python\nprint('x')\n```\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "- one\n- two\n\n1. first\n2. second\n",
    "line one\nline two",
    "<script>alert(1)</script> [link](javascript:alert(1)) [ok](https://example.org)",
]


@pytest.mark.parametrize("hard_breaks", [False, True])
def test_a_reused_converter_renders_each_text_as_a_fresh_one_would(hard_breaks):
    # Every order of the samples: a converter that kept anything from the text before would differ.
    expected = {text: str(render_markdown(text, hard_breaks=hard_breaks)) for text in SAMPLES}
    for text in [*SAMPLES, *reversed(SAMPLES), *SAMPLES]:
        assert str(render_markdown(text, hard_breaks=hard_breaks)) == expected[text]
    assert "<script" not in expected[SAMPLES[-1]] and "javascript:" not in expected[SAMPLES[-1]]
    assert "<table>" in expected[SAMPLES[1]]
    assert ("<br" in expected["line one\nline two"]) is hard_breaks


def test_reused_converter_matches_a_new_one_for_the_raw_html():
    from openhelp.platform.lib.markdown import _to_html

    for text in [*SAMPLES, *SAMPLES]:
        assert _to_html(text) == md.markdown(text, extensions=EXTENSIONS, output_format="html")
        assert _to_html(text, hard_breaks=True) == md.markdown(
            text, extensions=[*EXTENSIONS, "nl2br"], output_format="html"
        )
    assert markdown_to_text("**Bold** and `code`") == "Bold and code"


def test_threads_converting_at_once_each_get_their_own_converter():
    barrier = threading.Barrier(4)
    results: dict[int, list[str]] = {}

    def convert(index: int) -> None:
        barrier.wait()
        results[index] = [str(render_markdown(text)) for text in SAMPLES * 20]

    threads = [threading.Thread(target=convert, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [str(render_markdown(text)) for text in SAMPLES * 20]
    assert all(found == expected for found in results.values())


@pytest.mark.django_db
def test_ids_as_one_parameter_find_exactly_those_rows():
    from openhelp.directory.skills.models import SkillCategory

    made = [
        SkillCategory.objects.create(name=f"Category {index}", slug=f"category-{index}") for index in range(5)
    ]
    wanted = [made[0].pk, made[3].pk, 10**12]  # a big id that matches nothing
    found = set(SkillCategory.objects.filter(InIds("id", wanted)).values_list("pk", flat=True))
    assert found == {made[0].pk, made[3].pk}
    assert not SkillCategory.objects.filter(InIds("id", [])).exists()
