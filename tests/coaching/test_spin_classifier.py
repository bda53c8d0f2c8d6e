"""The SPIN classifier reads a question's type in either language, and never falls over."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from bot.coaching.spin.data import data_digest, data_files, is_dev, load_examples, spin_dir
from bot.coaching.spin.features import language_of
from bot.coaching.spin.model import LOW_CONFIDENCE, MODEL_FILE, SpinClassifier, load_classifier
from bot.coaching.spin.training import train_from
from bot.domain import SpinType
from bot.shipped import shipped_dir

S, P, I, N = (  # noqa: E741 - the four letters of SPIN
    SpinType.SITUATION,
    SpinType.PROBLEM,
    SpinType.IMPLICATION,
    SpinType.NEED_PAYOFF,
)
BAD_LINES = (
    "",
    "   ",
    "x" * 10_000,
    "为什么" * 3_000,
    "😀🙏🔥",
    "我们现在用 SAP, how many users do you have?",
    "<b>What</b> happens &amp; <script>alert(1)</script> when **the line** stops?",
    "[X] `code` _under_ ~strike~ | table | # heading",
    "\x00\x1b[31m\ufeff\u200b",
)


@pytest.fixture(scope="module")
def classifier() -> SpinClassifier:
    return load_classifier()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many plants do you run today?", S),
        ("目前你们有多少条生产线？", S),
        ("Are you satisfied with how long changeovers take?", P),
        ("你们对现在的交货速度满意吗？", P),
        ("What effect do those delays have on your customers?", I),
        ("这些延误对你们的客户有什么影响？", I),
        ("Would it help if your team could see stock levels in real time?", N),
        ("如果能实时看到库存，对你们有什么帮助？", N),
    ],
)
def test_the_hard_boundaries_are_read_in_both_languages(classifier, question, expected) -> None:
    reading = classifier.classify(question)
    assert reading.type == expected
    assert reading.confidence > LOW_CONFIDENCE


def test_the_language_is_read_per_line_any_cjk_makes_it_chinese() -> None:
    assert language_of("How many sites?") == "en"
    assert language_of("我们用 SAP, how many users?") == "zh"
    assert language_of("貴公司目前有幾個倉庫？") == "zh"


@pytest.mark.parametrize("line", BAD_LINES, ids=range(len(BAD_LINES)))
def test_bad_input_gets_a_best_guess_never_an_exception(classifier, line) -> None:
    for lang in (None, "zh", "en"):
        reading = classifier.classify(line, lang)
        assert reading.type in SpinType
        assert 0.0 <= reading.confidence <= 1.0


def test_an_empty_line_or_a_statement_is_read_with_a_low_confidence(classifier) -> None:
    for line in ("", "😀🙏🔥", "We met the plant manager last week.", "我们上周见了厂长。"):
        assert classifier.classify(line).confidence <= LOW_CONFIDENCE


def test_the_dev_split_is_by_idea_and_holds_at_least_a_fifth_of_the_ideas() -> None:
    examples = load_examples(spin=spin_dir(), playbooks=shipped_dir("playbooks"))
    sides: dict[str, set[bool]] = defaultdict(set)
    for example in examples:
        sides[example.idea].add(is_dev(example.idea))
    assert all(len(side) == 1 for side in sides.values())
    assert sum(is_dev(idea) for idea in sides) >= 0.2 * len(sides)


def _small_data(tmp_path: Path) -> Path:
    spin = tmp_path / "spin"
    spin.mkdir()
    (spin / "questions.en.yaml").write_text(
        "- {idea: sites, type: situation, questions: [How many sites do you run?, "
        "How many sites are there?]}\n"
        "- {idea: help, type: need_payoff, questions: [Would it help to be faster?, "
        "Would it help if it were faster?]}\n"
        "- {idea: broken, type: bogus, questions: [Not a type?]}\n",
        encoding="utf-8",
    )
    return spin


def test_training_twice_writes_the_same_model(tmp_path: Path) -> None:
    spin = _small_data(tmp_path)
    playbooks = shipped_dir("playbooks")
    first = train_from(spin=spin, playbooks=playbooks).to_json()
    assert first == train_from(spin=spin, playbooks=playbooks).to_json()
    assert json.loads(first)["digest"] == data_digest(data_files(spin=spin, playbooks=playbooks))


def test_a_model_older_than_its_data_is_not_used(tmp_path: Path) -> None:
    spin = _small_data(tmp_path)
    playbooks = tmp_path / "playbooks"
    shutil.copytree(shipped_dir("playbooks"), playbooks)
    stale = SpinClassifier(weights={"w:sites": (-9.0, 0.0, 0.0, 9.0)}, bias=(0, 0, 0, 0))
    (spin / MODEL_FILE).write_text(stale.to_json(), encoding="utf-8")
    assert load_classifier(spin=spin, playbooks=playbooks).classify("How many sites?").type == S
    current = train_from(spin=spin, playbooks=playbooks)
    (spin / MODEL_FILE).write_text(current.to_json(), encoding="utf-8")
    assert load_classifier(spin=spin, playbooks=playbooks).digest == current.digest


def test_an_unreadable_model_file_is_trained_anew(tmp_path: Path) -> None:
    spin = _small_data(tmp_path)
    (spin / MODEL_FILE).write_text("{not json", encoding="utf-8")
    model = load_classifier(spin=spin, playbooks=tmp_path / "none")
    assert model.classify("Would it help if it were faster?").type == N


def test_with_no_data_at_all_the_classifier_still_answers(tmp_path: Path) -> None:
    model = load_classifier(spin=tmp_path, playbooks=tmp_path)
    reading = model.classify("How many sites?")
    assert reading.type == S and reading.confidence <= LOW_CONFIDENCE
