"""Fitting the model: multinomial logistic regression with L2, full-batch, from zero.

numpy only (already there under matplotlib); no randomness, so one data set always gives one
model. Features seen once in the training data are dropped: they only memorise a phrasing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.coaching.spin.data import Example, data_digest, data_files, load_examples
from bot.coaching.spin.features import features
from bot.coaching.spin.model import TYPES, SpinClassifier, scale_of

L2 = 1e-5
STEPS = 300
RATE = 0.1
MIN_COUNT = 2


def train(examples: Sequence[Example], *, digest: str = "") -> SpinClassifier:
    """A model of `examples`; with none at all, one that guesses Situation, unsure."""
    import numpy as np

    if not examples:
        return SpinClassifier(weights={}, bias=(0.1, 0.0, 0.0, 0.0), digest=digest)
    rows = [features(example.text, example.lang) for example in examples]
    counts = Counter(feature for row in rows for feature in row)
    vocabulary = sorted(feature for feature, count in counts.items() if count >= MIN_COUNT)
    index = {feature: position for position, feature in enumerate(vocabulary)}
    samples, columns, values = [], [], []
    for sample, row in enumerate(rows):
        for feature in row:
            if feature in index:
                samples.append(sample)
                columns.append(index[feature])
                values.append(scale_of(row))
    sample_ids = np.array(samples, dtype=np.int64)
    column_ids = np.array(columns, dtype=np.int64)
    value = np.array(values)[:, None]
    n, k, width = len(examples), len(TYPES), len(vocabulary)
    labels = np.array([TYPES.index(example.type) for example in examples])
    truth = np.zeros((n, k))
    truth[np.arange(n), labels] = 1.0
    weights = np.zeros((len(vocabulary), k))
    bias = np.zeros(k)
    # Adam on the full batch: deterministic, and quick on a few thousand questions.
    moment = np.zeros_like(weights)
    square = np.zeros_like(weights)
    moment_b = np.zeros(k)
    square_b = np.zeros(k)
    for step in range(1, STEPS + 1):
        gathered = weights[column_ids] * value
        scores: np.ndarray[Any, np.dtype[np.float64]] = np.stack(
            [np.bincount(sample_ids, weights=gathered[:, c], minlength=n) for c in range(k)], 1
        )
        scores += bias
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=1, keepdims=True)
        error = (probs - truth) / n
        spread = error[sample_ids] * value
        grad: np.ndarray[Any, np.dtype[np.float64]] = np.stack(
            [np.bincount(column_ids, weights=spread[:, c], minlength=width) for c in range(k)], 1
        )
        grad += L2 * weights
        grad_b = error.sum(axis=0)
        moment = 0.9 * moment + 0.1 * grad
        square = 0.999 * square + 0.001 * grad * grad
        moment_b = 0.9 * moment_b + 0.1 * grad_b
        square_b = 0.999 * square_b + 0.001 * grad_b * grad_b
        scale = RATE * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
        weights -= scale * moment / (np.sqrt(square) + 1e-8)
        bias -= scale * moment_b / (np.sqrt(square_b) + 1e-8)
    return SpinClassifier(
        weights={
            feature: tuple(float(value) for value in weights[position])
            for feature, position in index.items()
            if float(np.abs(weights[position]).max()) >= 1e-3
        },
        bias=tuple(float(value) for value in bias),
        digest=digest,
    )


def train_from(*, spin: Path, playbooks: Path) -> SpinClassifier:
    """The model of all the labelled data, dev ideas included: what ships."""
    digest = data_digest(data_files(spin=spin, playbooks=playbooks))
    return train(load_examples(spin=spin, playbooks=playbooks), digest=digest)
