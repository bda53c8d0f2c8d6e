"""Benchmark: the SPIN classifier's accuracy on the dev ideas, its load time, time per question.

Accuracy: a model trained now on the training ideas only (every idea whose hash puts it in the
dev fifth is held out with all its phrasings), scored on the dev ideas, per language and type,
with a confusion matrix per language (rows: the label, columns: what the model read).
Speed: the shipped model, loaded in a fresh interpreter as `salescoach spin classify` loads it,
against reading and parsing the same JSON file; classifying every dev question against one
regular-expression search per question (the cheapest thing a caller could do instead).

Run from the repository root:  .venv/bin/python bench/spin.py [--rounds 5]
Figures are printed as ratios to the baseline measured in the same run; there is no pass/fail.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.coaching.spin.data import (
    Example,
    data_digest,
    data_files,
    is_dev,
    load_examples,
    spin_dir,
)
from bot.coaching.spin.model import LETTERS, MODEL_FILE, TYPES, SpinClassifier, load_classifier
from bot.coaching.spin.reading import SURE, read_question
from bot.coaching.spin.training import train
from bot.shipped import shipped_dir

LOAD = """\
import time
started = time.perf_counter()
from bot.coaching.spin.model import load_classifier
load_classifier()
print(time.perf_counter() - started)
"""
BASELINE_LOAD = """\
import time
started = time.perf_counter()
import json
from pathlib import Path
json.loads(Path({path!r}).read_text(encoding="utf-8"))
print(time.perf_counter() - started)
"""


def fresh_seconds(code: str) -> float:
    """Seconds a fresh interpreter reports for `code` (its own start-up left out)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return float(done.stdout.split()[-1])


def report_accuracy(model: SpinClassifier, dev: list[Example]) -> None:
    for lang in ("zh", "en"):
        questions = [example for example in dev if example.lang == lang]
        read = [model.classify(example.text, lang).type for example in questions]
        right = sum(
            1 for example, kind in zip(questions, read, strict=True) if kind == example.type
        )
        print(f"\n{lang}: dev accuracy {right / max(1, len(questions)):.1%} "
              f"({right}/{len(questions)})")  # fmt: skip
        for kind in TYPES:
            of_kind = [(e, r) for e, r in zip(questions, read, strict=True) if e.type == kind]
            hits = sum(1 for example, got in of_kind if got == example.type)
            print(
                f"  {kind.value:<12} {hits / max(1, len(of_kind)):6.1%}  ({hits}/{len(of_kind)})"
            )
        print("  label\\read " + "".join(f"{LETTERS[kind]:>6}" for kind in TYPES))
        for kind in TYPES:
            cells = [
                sum(1 for e, r in zip(questions, read, strict=True) if e.type == kind and r == got)
                for got in TYPES
            ]
            print(f"  {LETTERS[kind]:<10} " + "".join(f"{cell:>6}" for cell in cells))
        readings = [read_question(example.text, model) for example in questions]
        sure = [
            (example, reading)
            for example, reading in zip(questions, readings, strict=True)
            if reading.sure
        ]
        right_sure = sum(1 for example, reading in sure if reading.type == example.type)
        print(
            f"  shown as read (confidence >= {SURE}): {len(sure) / max(1, len(questions)):.0%} "
            f"of questions, right {right_sure / max(1, len(sure)):.1%}; the rest are asked"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    spin, playbooks = spin_dir(), shipped_dir("playbooks")
    examples = load_examples(spin=spin, playbooks=playbooks)
    training = [example for example in examples if not is_dev(example.idea)]
    dev = [example for example in examples if is_dev(example.idea)]
    chinese = sum(example.lang == "zh" for example in examples)
    print(f"labelled questions: {len(examples)} (zh {chinese}, en {len(examples) - chinese}); "
          f"dev ideas: {len({e.idea for e in dev})} of {len({e.idea for e in examples})}; "
          f"dev questions: {len(dev)} "
          f"({len(dev) / max(1, len(examples)):.0%}), never trained on")  # fmt: skip
    report_accuracy(train(training), dev)

    shipped = SpinClassifier.from_json((spin / MODEL_FILE).read_text(encoding="utf-8"))
    current = shipped.digest == data_digest(data_files(spin=spin, playbooks=playbooks))
    print(f"\nshipped {MODEL_FILE}: {'current' if current else 'STALE (loading trains anew)'}")
    load = statistics.median(fresh_seconds(LOAD) for _ in range(args.rounds))
    base = statistics.median(
        fresh_seconds(BASELINE_LOAD.format(path=str(spin / MODEL_FILE)))
        for _ in range(args.rounds)
    )
    print(f"load: {load * 1000:.0f} ms = {load / base:.1f} x reading and parsing its JSON "
          f"({base * 1000:.0f} ms)")  # fmt: skip

    model = load_classifier()
    texts = [example.text for example in dev] or ["How many plants do you run?"]
    question_mark = re.compile(r"[?？]\s*$")
    per_question, per_baseline = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for text in texts:
            model.classify(text)
        per_question.append((time.perf_counter() - started) / len(texts))
        started = time.perf_counter()
        for text in texts:
            question_mark.search(text)
        per_baseline.append((time.perf_counter() - started) / len(texts))
    each, base_each = statistics.median(per_question), statistics.median(per_baseline)
    print(f"per question: {each * 1e6:.0f} µs = {each / base_each:.0f} x one regex search "
          f"({base_each * 1e6:.2f} µs)")  # fmt: skip


if __name__ == "__main__":
    main()
