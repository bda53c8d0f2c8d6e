"""The linear model at run time: weights per feature and type, softmax for the confidence.

Pure Python, so loading it imports no numpy: a JSON file of weights, read once. The shipped
model (spin/model.json) names the digest of the data it was trained from; when the data has
changed since, `load_classifier` trains a fresh one from the data instead of using it.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from bot.coaching.spin.data import data_digest, data_files, spin_dir
from bot.coaching.spin.features import Lang, features, language_of, looks_like_question
from bot.domain import SpinType
from bot.shipped import shipped_dir

log = logging.getLogger(__name__)

TYPES = (SpinType.SITUATION, SpinType.PROBLEM, SpinType.IMPLICATION, SpinType.NEED_PAYOFF)
LETTERS = {SpinType.SITUATION: "S", SpinType.PROBLEM: "P", SpinType.IMPLICATION: "I",
           SpinType.NEED_PAYOFF: "N"}  # fmt: skip
MODEL_FILE = "model.json"
FORMAT = 2
# A line that is no question, or holds nothing the model knows, is guessed with at most this.
LOW_CONFIDENCE = 0.3


def scale_of(found: list[str]) -> float:
    """Each feature of a question counts 1/sqrt(n): a long question weighs no more than a short."""
    return 1.0 / math.sqrt(len(found)) if found else 1.0


@dataclass(frozen=True)
class Reading:
    """What the classifier read: the type, how sure it is (0-1), the language it read in."""

    type: SpinType
    confidence: float
    lang: Lang

    @property
    def letter(self) -> str:
        return LETTERS[self.type]


@dataclass(frozen=True)
class SpinClassifier:
    weights: dict[str, tuple[float, ...]]  # feature -> one weight per type, in TYPES order
    bias: tuple[float, ...]
    digest: str = ""

    def classify(self, question: str, lang: Lang | None = None) -> Reading:
        """The most likely type; without `lang` the language is read from the text."""
        lang = lang or language_of(question)
        scores = list(self.bias)
        known = 0
        found = features(question, lang)
        scale = scale_of(found)
        for feature in found:
            row = self.weights.get(feature)
            if row is not None:
                known += 1
                for index, weight in enumerate(row):
                    scores[index] += weight * scale
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        best = scores.index(top)
        confidence = exps[best] / sum(exps)
        if known <= 1 or not looks_like_question(question, lang):
            confidence = min(confidence, LOW_CONFIDENCE) * (0.5 if known <= 1 else 1.0)
        return Reading(TYPES[best], confidence, lang)

    def to_json(self) -> str:
        """Sorted and rounded, so the same training writes the same file byte for byte."""
        return json.dumps(
            {
                "format": FORMAT,
                "digest": self.digest,
                "types": [kind.value for kind in TYPES],
                "bias": [round(value, 4) for value in self.bias],
                "weights": {
                    feature: [round(value, 4) for value in self.weights[feature]]
                    for feature in sorted(self.weights)
                },
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> SpinClassifier:
        raw = json.loads(text)
        if raw.get("format") != FORMAT or raw.get("types") != [kind.value for kind in TYPES]:
            raise ValueError("not a SPIN model of this format")
        return cls(
            weights={feature: tuple(row) for feature, row in raw["weights"].items()},
            bias=tuple(raw["bias"]),
            digest=str(raw["digest"]),
        )


def load_classifier(*, spin: Path | None = None, playbooks: Path | None = None) -> SpinClassifier:
    """The shipped model if it was trained from the data as it is now, else one trained now."""
    spin = spin or spin_dir()
    playbooks = playbooks or shipped_dir("playbooks")
    digest = data_digest(data_files(spin=spin, playbooks=playbooks))
    path = spin / MODEL_FILE
    if path.is_file():
        try:
            model = SpinClassifier.from_json(path.read_text(encoding="utf-8"))
        except (ValueError, KeyError, TypeError):
            log.warning("%s is unreadable; training from the data", path)
        else:
            if model.digest == digest:
                return model
            log.warning("%s is older than its data; training now (salescoach spin train)", path)
    from bot.coaching.spin.training import train_from

    return train_from(spin=spin, playbooks=playbooks)
