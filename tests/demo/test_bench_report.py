"""The benchmark's arithmetic and its generated documentation sections."""

from __future__ import annotations

from bench.report import summarise, write_section


def test_it_computes_nearest_rank_percentiles():
    stats = summarise([float(n) for n in range(100, 0, -1)])
    assert stats["n"] == 100
    assert stats["p50"] == 50.0
    assert stats["p95"] == 95.0
    assert stats["mean"] == 50.5
    assert stats["max"] == 100.0
    assert summarise([7.0])["p95"] == 7.0


def test_it_rewrites_only_its_own_section_of_the_benchmarks_page(tmp_path):
    doc = tmp_path / "benchmarks.md"
    write_section("foundation", "first run", path=doc)
    write_section("asks", "asks numbers", path=doc)
    doc.write_text(doc.read_text() + "\nHand-written note.\n")

    write_section("foundation", "second run", path=doc)

    text = doc.read_text()
    assert "second run" in text and "first run" not in text
    assert "asks numbers" in text and "Hand-written note." in text
    assert text.count("<!-- bench:foundation:start -->") == 1
    assert text.index("second run") < text.index("asks numbers")
