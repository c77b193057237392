"""The offline evaluation on a tiny synthetic data set written here, and the command around it."""

from __future__ import annotations

import json
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openhelp.directory.matching.evaluation import DatasetError, evaluate, load_dataset
from openhelp.directory.matching.evaluation.dataset import SkillVocabulary, mentor_profiles
from openhelp.directory.matching.evaluation.refreshed import evaluate_refreshed
from openhelp.directory.matching.index import MatchingIndex

ALICE, BOB, CAROL, DAN, NEWCOMER = 10, 20, 30, 40, 99
LEAK_QUESTION, LEAK_ANSWER = "zebraquestionword", "zebraanswerword"

TRAIN = [
    (
        1,
        "postgres index not used",
        "the planner picks a sequential scan",
        ["postgresql"],
        101,
        [(ALICE, True), (CAROL, False)],
    ),
    (
        2,
        "postgres vacuum bloat",
        "tables keep growing after deletes",
        ["postgresql"],
        102,
        [(ALICE, True), (CAROL, False)],
    ),
    (3, "postgres replication lag", "replica falls behind under load", ["postgresql"], 103, [(ALICE, True)]),
    (
        4,
        "css grid alignment",
        "items do not line up in the grid",
        ["css"],
        104,
        [(BOB, True), (CAROL, False)],
    ),
    (5, "css flexbox wrapping", "flex items overflow the container", ["css"], 105, [(BOB, True)]),
    (6, "css specificity", "my rule is overridden by another", ["css"], ALICE, [(BOB, True), (DAN, False)]),
]
TEST = [
    (
        7,
        "postgres index scan slow",
        f"planner again {LEAK_QUESTION}",
        ["postgresql"],
        106,
        [(ALICE, True), (CAROL, False)],
    ),
    (8, "css grid gaps", "grid gap ignored", ["css"], 107, [(BOB, True)]),
    (9, "brand new topic", "nobody answered this before", ["rust"], 108, [(NEWCOMER, True)]),
    (10, "css grid question from alice", "grid lines", ["css"], ALICE, [(BOB, True)]),
]


@pytest.fixture
def data_dir(tmp_path):
    questions, answers, split = [], [], {"train": [], "test": []}
    answer_id = 1000
    for part, rows in (("train", TRAIN), ("test", TEST)):
        for qid, title, body, tags, asker, answered in rows:
            accepted = next(user for user, ok in answered if ok)
            questions.append(
                {
                    "question_id": qid,
                    "site": "toy",
                    "title": title,
                    "body": body,
                    "tags": tags,
                    "accepted_answerer_id": accepted,
                    "asker_id": asker,
                    "answerer_ids": [user for user, _ in answered],
                    "split": part,
                }
            )
            split[part].append(str(qid))
            for user, ok in answered:
                answer_id += 1
                text = f"answer by {user} about {title}" + (f" {LEAK_ANSWER}" if part == "test" else "")
                answers.append(
                    {
                        "answer_id": answer_id,
                        "question_id": qid,
                        "user_id": user,
                        "score": 1,
                        "is_accepted": ok,
                        "text": text,
                    }
                )
    (tmp_path / "questions.jsonl").write_text("\n".join(json.dumps(q) for q in questions))
    (tmp_path / "answers.jsonl").write_text("\n".join(json.dumps(a) for a in answers))
    (tmp_path / "split.json").write_text(json.dumps(split))
    return tmp_path


def test_it_builds_profiles_from_training_answers_only(data_dir):
    dataset = load_dataset(data_dir)
    mentors = mentor_profiles(dataset, SkillVocabulary())
    assert {m.id for m in mentors} == {ALICE, BOB, CAROL, DAN}
    for profile in mentors:
        for help_ in profile.past_help:
            assert LEAK_QUESTION not in help_.text
            assert LEAK_ANSWER not in help_.text
    index = MatchingIndex.build(mentors)
    assert index.text.scores([LEAK_QUESTION, LEAK_ANSWER]) == {}
    alice = next(m for m in mentors if m.id == ALICE)
    assert len(alice.past_help) == 3
    assert set(alice.skill_names.values()) == {"postgresql"}
    assert max(alice.skills.values()) == 3  # three accepted answers: 6 points


def test_it_reports_the_engine_and_both_baselines(data_dir):
    report = evaluate(load_dataset(data_dir), examples=1)
    assert report["site"] == "toy"
    assert report["n_test"] == 4
    assert report["n_warm"] == 3  # the newcomer has no training answer
    assert report["n_candidates"] == 4
    assert report["n_rankable"] == 3
    assert report["mrr_ceiling"] == pytest.approx(0.75)
    engine = report["engine"]
    # Alice and Bob are ranked first for their own topics; the newcomer cannot be found.
    assert engine["mrr"] == pytest.approx(0.75)
    assert engine["mrr_warm"] == pytest.approx(1.0)
    assert engine["r5"] == pytest.approx(0.75)
    for name in ("bm25", "popularity", "accepted"):
        assert set(report[name]) == set(engine)
    assert report["examples"][0]["top"][0]["mentor"] == ALICE
    assert report["examples"][0]["top"][0]["reasons"]


def test_it_never_ranks_the_asker(data_dir):
    dataset = load_dataset(data_dir)
    dataset.test = [q for q in dataset.test if q.asker_id == ALICE]
    report = evaluate(dataset, examples=1)
    assert all(entry["mentor"] != ALICE for entry in report["examples"][0]["top"])


def test_a_question_answered_by_its_own_asker_cannot_be_ranked(data_dir):
    dataset = load_dataset(data_dir)
    # Bob asks the CSS grid question that he then answers himself: he is warm but never a candidate.
    dataset.test = [replace(q, asker_id=BOB) if q.id == 8 else q for q in dataset.test]
    report = evaluate(dataset)
    assert report["n_warm"] == 3
    assert report["n_rankable"] == 2
    assert report["mrr_ceiling"] == pytest.approx(0.5)
    assert report["engine"]["mrr"] <= report["mrr_ceiling"]


def test_it_can_hold_out_the_end_of_the_training_part(data_dir):
    held = load_dataset(data_dir).holdout(fraction=0.5)
    assert [q.id for q in held.train] == [1, 2, 3]
    assert [q.id for q in held.test] == [4, 5, 6]
    assert {m.id for m in mentor_profiles(held, SkillVocabulary())} == {ALICE, CAROL}


def test_it_prints_one_json_object(data_dir):
    out = StringIO()
    call_command("evaluate_matching", "--data", str(data_dir), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert {"site", "n_test", "engine", "bm25", "popularity"} <= set(report)
    for name in ("engine", "bm25", "popularity"):
        assert {"mrr", "r5", "r10", "mrr_warm"} <= set(report[name])
        assert all(isinstance(value, float) for value in report[name].values())


def test_it_prints_a_table_and_explains_examples(data_dir):
    out = StringIO()
    call_command("evaluate_matching", "--data", str(data_dir), "--examples", "1", stdout=out)
    text = out.getvalue()
    assert "popularity baseline" in text
    assert "3 questions can be answered from the candidates at all (highest possible MRR 0.7500)" in text
    assert "postgres index scan slow" in text


def test_it_accepts_weights_and_rejects_bad_ones(data_dir):
    out = StringIO()
    call_command(
        "evaluate_matching", "--data", str(data_dir), "--json", "--weights", '{"relevance": 2}', stdout=out
    )
    assert json.loads(out.getvalue())["engine"]
    with pytest.raises(CommandError, match="unknown weight"):
        call_command("evaluate_matching", "--data", str(data_dir), "--weights", '{"charisma": 1}')


def test_it_explains_what_is_wrong_with_a_directory(tmp_path):
    with pytest.raises(CommandError, match="questions.jsonl is missing"):
        call_command("evaluate_matching", "--data", str(tmp_path))
    (tmp_path / "questions.jsonl").write_text('{"question_id": 1, "split": "train"}\nnot json\n')
    (tmp_path / "answers.jsonl").write_text("")
    with pytest.raises(DatasetError, match="not valid JSON"):
        load_dataset(tmp_path)


def test_refreshing_once_is_the_protocol_itself(data_dir):
    dataset = load_dataset(data_dir)
    frozen = evaluate(dataset, learn=False)
    refreshed = evaluate_refreshed(dataset, refreshes=1)
    for name in ("engine", "bm25", "popularity", "accepted"):
        assert refreshed[name] == frozen[name]
    assert (refreshed["n_rankable"], refreshed["mrr_ceiling"]) == (
        frozen["n_rankable"],
        frozen["mrr_ceiling"],
    )


def test_refreshed_profiles_learn_from_earlier_test_questions_only(data_dir):
    dataset = load_dataset(data_dir)
    # The newcomer answers the rust question (9) and then a second one (11): after a refresh between
    # them they are a candidate for the second, but never for the question that first shows them.
    later = replace(dataset.test[2], id=11, title="rust borrow checker again", asker_id=109)
    dataset.test = [*dataset.test, later]
    dataset.answers[11] = [replace(answer, question_id=11) for answer in dataset.answers[9]]
    assert evaluate_refreshed(dataset, refreshes=1)["n_rankable"] == 3
    each = evaluate_refreshed(dataset, refreshes=len(dataset.test))
    assert each["n_rankable"] == each["n_warm"] == 4
    # Ranked first for the second rust question, from their answer to the first.
    assert each["engine"]["mrr"] == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match="at least 1"):
        evaluate_refreshed(dataset, refreshes=0)


def test_the_command_reports_the_refreshed_diagnostic_apart(data_dir):
    out = StringIO()
    call_command(
        "evaluate_matching", "--data", str(data_dir), "--json", "--no-learn", "--refresh", "2", stdout=out
    )
    report = json.loads(out.getvalue())
    assert report["refreshed"]["refreshes"] == 2
    assert {"engine", "bm25", "popularity", "accepted", "mrr_ceiling"} <= set(report["refreshed"])
    out = StringIO()
    call_command("evaluate_matching", "--data", str(data_dir), "--no-learn", "--refresh", "2", stdout=out)
    assert "not the protocol — profiles refreshed 2 times" in out.getvalue()
    with pytest.raises(CommandError, match="--refresh"):
        call_command("evaluate_matching", "--data", str(data_dir), "--refresh", "-1")
