"""Reading an expert-finding data set and turning its training part into mentor profiles.

Format (one JSON object per line): ``questions.jsonl`` (question_id, title, body, tags,
accepted_answerer_id, asker_id, split, optional site) and ``answers.jsonl`` (answer_id,
question_id, user_id, score, is_accepted, text); optional ``split.json`` with "train" and "test"
lists of question ids, which wins over each question's own ``split`` field.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from openhelp.directory.matching.types import AskProfile, MentorProfile, PastHelp

# The format has no dates, only ids that grow with time, so the training questions are spread
# evenly over this many "days". With the default 120-day half-life, help given a tenth of the
# training period before its end counts half. The same for every data set.
ASSUMED_TRAIN_DAYS = 1200.0


class DatasetError(ValueError):
    """The directory is not a data set in the expert-finding format."""


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    title: str
    body: str
    tags: tuple[str, ...]
    asker_id: int | None
    accepted_answerer_id: int | None
    split: str


@dataclass(frozen=True, slots=True)
class Answer:
    question_id: int
    user_id: int
    is_accepted: bool
    text: str
    score: int = 0  # votes


@dataclass(slots=True)
class Dataset:
    site: str
    train: list[Question]  # oldest first
    test: list[Question]
    answers: dict[int, list[Answer]] = field(default_factory=dict)  # by question id

    def holdout(self, fraction: float = 0.2) -> Dataset:
        """The training part split again in time: its last ``fraction`` becomes the test part.

        Used to choose weights without ever looking at the real test questions.
        """
        cut = max(1, int(len(self.train) * (1 - fraction)))
        train = self.train[:cut]
        test = [replace(q, split="test") for q in self.train[cut:]]
        return Dataset(site=f"{self.site} (train hold-out)", train=train, test=test, answers=self.answers)


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise DatasetError(f"{path} is missing")
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise DatasetError(f"{path}:{number} is not valid JSON ({error.msg})") from error
    return rows


def _optional_int(value) -> int | None:
    return None if value is None else int(value)


def load_dataset(directory: str | Path) -> Dataset:
    """Read a data set directory; raises ``DatasetError`` with a specific message when it is not one."""
    root = Path(directory)
    if not root.is_dir():
        raise DatasetError(f"{root} is not a directory")
    split_ids: dict[int, str] = {}
    split_path = root / "split.json"
    if split_path.is_file():
        split = json.loads(split_path.read_text(encoding="utf-8"))
        for name in ("train", "test"):
            split_ids.update({int(qid): name for qid in split.get(name, [])})
    questions: list[Question] = []
    site = root.name
    try:
        for row in _read_jsonl(root / "questions.jsonl"):
            qid = int(row["question_id"])
            site = row.get("site") or site
            questions.append(
                Question(
                    id=qid,
                    title=row.get("title") or "",
                    body=row.get("body") or "",
                    tags=tuple(row.get("tags") or ()),
                    asker_id=_optional_int(row.get("asker_id")),
                    accepted_answerer_id=_optional_int(row.get("accepted_answerer_id")),
                    split=split_ids.get(qid) or row.get("split") or "",
                )
            )
        answers: dict[int, list[Answer]] = defaultdict(list)
        for row in _read_jsonl(root / "answers.jsonl"):
            if row.get("user_id") is None:
                continue
            answers[int(row["question_id"])].append(
                Answer(
                    question_id=int(row["question_id"]),
                    user_id=int(row["user_id"]),
                    is_accepted=bool(row.get("is_accepted")),
                    text=row.get("text") or "",
                    score=int(row.get("score") or 0),
                )
            )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, DatasetError):
            raise
        raise DatasetError(f"{root}: a row lacks a required field or has a bad value ({error})") from error
    questions.sort(key=lambda q: q.id)
    train = [q for q in questions if q.split == "train"]
    test = [q for q in questions if q.split == "test"]
    if not train or not test:
        raise DatasetError(f"{root}: needs both train and test questions")
    return Dataset(site=site, train=train, test=test, answers=dict(answers))


class SkillVocabulary:
    """Tags as skill ids. Ids carry no content, so test-only tags simply match nobody."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def id_for(self, tag: str) -> int:
        return self.ids.setdefault(tag, len(self.ids) + 1)

    def ask_skills(self, tags) -> tuple[frozenset[int], dict[int, str]]:
        names = {self.id_for(tag): tag for tag in tags}
        return frozenset(names), names


def question_text(question: Question) -> str:
    return " ".join((question.title, question.body, " ".join(question.tags)))


def level_from_points(points: float) -> int:
    """1 for one answer, 2 from 2, 3 from 4, 4 from 8, 5 from 16 (an accepted answer counts twice)."""
    return max(1, min(5, 1 + int(math.log2(max(points, 1.0)))))


def mentor_profiles(
    dataset: Dataset, vocabulary: SkillVocabulary, *, days_per_question: float | None = None
) -> list[MentorProfile]:
    """One profile per person with a training answer, built from training questions only.

    Skills are the tags of the questions they answered, at a level from how many answers (accepted
    ones twice) they gave on each; past help is each answered question with their answer.
    ``days_per_question`` keeps the time scale of a longer history when profiling part of it (the
    learned ranker's time slices); by default the training part spans ``ASSUMED_TRAIN_DAYS``.
    """
    count = len(dataset.train)
    step = days_per_question if days_per_question is not None else ASSUMED_TRAIN_DAYS / max(count, 1)
    helps: dict[int, list[PastHelp]] = defaultdict(list)
    points: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    names: dict[int, dict[int, str]] = defaultdict(dict)
    for position, question in enumerate(dataset.train):
        age = (count - 1 - position) * step
        skill_ids, skill_names = vocabulary.ask_skills(question.tags)
        context = question_text(question)
        for answer in dataset.answers.get(question.id, ()):
            weight = 2.0 if answer.is_accepted else 1.0
            helps[answer.user_id].append(
                PastHelp(
                    title=question.title,
                    text=f"{context} {answer.text}",
                    skill_ids=skill_ids,
                    age_days=age,
                    weight=weight,
                    votes=float(answer.score),
                    mentee_id=question.asker_id,
                    ask_id=question.id,
                )
            )
            for skill_id in skill_ids:
                points[answer.user_id][skill_id] += weight
            names[answer.user_id].update(skill_names)
    return [
        MentorProfile(
            id=user_id,
            name=f"user {user_id}",
            skills={skill_id: level_from_points(value) for skill_id, value in points[user_id].items()},
            skill_names=names[user_id],
            past_help=tuple(past),
        )
        for user_id, past in sorted(helps.items())
    ]


def ask_from_question(question: Question, vocabulary: SkillVocabulary) -> AskProfile:
    skill_ids, skill_names = vocabulary.ask_skills(question.tags)
    return AskProfile(
        text=question_text(question),
        skill_ids=skill_ids,
        skill_names=skill_names,
        mentee_id=question.asker_id,
    )
