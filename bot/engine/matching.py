"""Fuzzy matching of typed text against labels and names, with our cut-offs in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

CLEAR = 85  # a score at least this high, far enough ahead of the next, is taken
CLOSE = 60  # scores at least this high are offered as "did you mean"
MARGIN = 10  # how far the best must lead the second to count as clear


@dataclass(frozen=True)
class Match:
    """`chosen` is the index of a clear winner; otherwise `candidates` are the close ones."""

    chosen: int | None
    candidates: tuple[int, ...] = ()


def normalise(text: str) -> str:
    """Lower case, punctuation and emoji folded to spaces, so 'Advance!' equals 'advance'."""
    return str(utils.default_process(text)).strip()


def match(text: str, labels: Sequence[str]) -> Match:
    """Match `text` against `labels`: exact or prefix first, then rapidfuzz's WRatio."""
    wanted = normalise(text)
    if not wanted or not labels:
        return Match(None)
    normalised = [normalise(label) for label in labels]
    exact = [index for index, label in enumerate(normalised) if label == wanted]
    if len(exact) == 1:
        return Match(exact[0])
    prefixed = [index for index, label in enumerate(normalised) if label.startswith(wanted)]
    if len(prefixed) == 1 and len(wanted) >= 2:
        return Match(prefixed[0])
    if len(wanted) < 2 and not _has_cjk(wanted):
        return Match(None, tuple(prefixed))
    scored = process.extract(
        wanted, normalised, scorer=fuzz.WRatio, processor=None, limit=None, score_cutoff=CLOSE
    )
    ranked = sorted(scored, key=lambda hit: (-hit[1], hit[2]))
    if not ranked:
        return Match(None)
    best_score = ranked[0][1]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score >= CLEAR and best_score - runner_up >= MARGIN:
        return Match(ranked[0][2])
    close = tuple(hit[2] for hit in ranked if best_score - hit[1] < MARGIN)
    return Match(None, close[:5])


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)
