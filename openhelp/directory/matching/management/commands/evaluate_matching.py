"""Offline evaluation of the matching engine on an expert-finding data set (see docs/matching.md)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openhelp.directory.matching.evaluation import DatasetError, evaluate, load_dataset
from openhelp.directory.matching.evaluation.refreshed import evaluate_refreshed
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, Weights

SYSTEM_LABELS = {
    "engine": "engine",
    "learned": "learned ranker",
    "bm25": "BM25 baseline",
    "popularity": "popularity baseline",
    "accepted": "accepted-first baseline",
}


class Command(BaseCommand):
    help = (
        "Rank every candidate helper for each test question of an expert-finding data set with the "
        "product's matching engine, and report MRR and Recall@5/10 next to the BM25 and popularity "
        "baselines computed in the same run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data", required=True, help="Data set directory (questions.jsonl, answers.jsonl)."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of a table.")
        parser.add_argument(
            "--holdout",
            action="store_true",
            help="Evaluate on the last 20%% of the training questions instead of the test split "
            "(for choosing weights without looking at the test questions).",
        )
        parser.add_argument(
            "--weights", help="JSON object or path to a JSON file overriding the default weights."
        )
        parser.add_argument(
            "--examples", type=int, default=0, help="Explain the top 3 for this many test questions."
        )
        parser.add_argument(
            "--no-learn",
            action="store_true",
            help="Skip fitting the learned ranker (it is fitted on the training split only).",
        )
        parser.add_argument(
            "--refresh",
            type=int,
            default=0,
            metavar="N",
            help="Also report a diagnostic outside the protocol: the engine and baselines with profiles "
            "rebuilt N times over the test questions (earlier test answers included), as the product sees it.",
        )

    def handle(self, *args, **options) -> None:
        weights = self._weights(options.get("weights"))
        if options["refresh"] < 0:
            raise CommandError("--refresh: give a number of refreshes (1 or more), or leave it out")
        try:
            dataset = load_dataset(options["data"])
        except DatasetError as error:
            raise CommandError(str(error)) from error
        if options["holdout"]:
            dataset = dataset.holdout()
        report = evaluate(
            dataset, weights=weights, examples=max(0, options["examples"]), learn=not options["no_learn"]
        )
        if options["refresh"]:
            report["refreshed"] = evaluate_refreshed(dataset, refreshes=options["refresh"], weights=weights)
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self._write_table(report)

    def _weights(self, raw: str | None) -> Weights:
        if not raw:
            return DEFAULT_WEIGHTS
        try:
            text = Path(raw).read_text(encoding="utf-8") if not raw.lstrip().startswith("{") else raw
            values = json.loads(text)
            if not isinstance(values, dict):
                raise ValueError("weights must be a JSON object")
            return Weights.from_mapping(values)
        except (OSError, ValueError, TypeError) as error:
            raise CommandError(f"--weights: {error}") from error

    def _write_table(self, report: dict) -> None:
        self.stdout.write(
            f"{report['site']}: {report['n_test']} test questions ({report['n_warm']} warm), "
            f"{report['n_candidates']} candidates, {report['seconds']} s"
        )
        self.stdout.write(
            f"{report['n_rankable']} questions can be answered from the candidates at all "
            f"(highest possible MRR {report['mrr_ceiling']:.4f})"
        )
        self.stdout.write(f"{'':22}{'MRR':>8}{'R@5':>8}{'R@10':>8}{'MRR warm':>10}")
        for key, label in SYSTEM_LABELS.items():
            if key not in report:
                continue
            row = report[key]
            self.stdout.write(
                f"{label:22}{row['mrr']:8.4f}{row['r5']:8.4f}{row['r10']:8.4f}{row['mrr_warm']:10.4f}"
            )
        fit = report.get("learned_fit")
        if fit:
            verdict = "used" if fit["used"] else "not used"
            self.stdout.write(
                f"learned ranker {verdict} ({fit['reason']}): guard MRR {fit['guard_mrr_learned']:.4f} learned vs "
                f"{fit['guard_mrr_default']:.4f} defaults on the {fit['guard_asks']} most recent training "
                f"questions; fitted on {fit['fitted_asks']} in {fit['seconds']} s"
            )
        if "mrr_sparse" in report:
            figures = ", ".join(f"{name} {value:.4f}" for name, value in report["mrr_sparse"].items())
            self.stdout.write(
                f"experts with at most 2 training answers ({report['n_sparse']} questions): {figures}"
            )
        refreshed = report.get("refreshed")
        if refreshed:
            figures = ", ".join(
                f"{SYSTEM_LABELS[name]} {refreshed[name]['mrr']:.4f}"
                for name in ("engine", "bm25", "popularity", "accepted")
            )
            self.stdout.write(
                f"not the protocol — profiles refreshed {refreshed['refreshes']} times over the test questions "
                f"(highest possible MRR {refreshed['mrr_ceiling']:.4f}), MRR: {figures}"
            )
        for example in report.get("examples", []):
            self.stdout.write(f"\n“{example['question']}” (answered by {example['answered_by']})")
            for place, entry in enumerate(example["top"], start=1):
                self.stdout.write(
                    f"  {place}. {entry['mentor']} ({entry['score']}): {'; '.join(entry['reasons'])}"
                )
