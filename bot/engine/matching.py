"""Typed text against what is on screen: labels fuzzily, names only when equal.

Labels of buttons ("advnce" for Advance, "推进") are matched fuzzily, because a wrong guess
is visible and cheap to undo. Names of people, accounts and reps are not: a typed name is
taken only when it equals a known one after `fold`, and anything merely close is offered for
the user to confirm. A wrong person in a call record is worse than none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

CLEAR = 85  # a score at least this high, far enough ahead of the next, is taken
CLOSE = 60  # scores at least this high are offered as "did you mean"
MARGIN = 10  # how far the best must lead the second to count as clear
CLOSE_CJK = 50  # Chinese names are two or three characters: one in two differing is close
OFFERED = 5  # at most this many close names are offered


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


def match_exactly(text: str, labels: Sequence[str]) -> int | None:
    """The one label `text` equals after `normalise`: where typed text may also be content of
    its own (a question, a name), only a whole label typed out picks a button."""
    wanted = normalise(text)
    exact = [index for index, label in enumerate(labels) if wanted and normalise(label) == wanted]
    return exact[0] if len(exact) == 1 else None


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@dataclass(frozen=True)
class NameMatch:
    """`equal` is the one name equal to the typed one; `close` are names to offer instead."""

    equal: int | None
    close: tuple[int, ...] = ()


def fold(text: str) -> str:
    """Case, width (Ｗａｎｇ, full-width digits), spaces and punctuation folded away.

    Symbols stay: "C++ Corp" is not "C Corp". Invisible format characters go.
    """
    wide = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in wide if unicodedata.category(char)[0] not in "PZC")


def match_name(text: str, names: Sequence[str]) -> NameMatch:
    """Match a typed name: only an equal one is taken; close ones are offered, best first.

    Two known names that fold to the same text are both offered, never guessed between.
    """
    wanted = fold(text)
    if not wanted or not names:
        return NameMatch(None)
    folded = [fold(name) for name in names]
    equal = [index for index, name in enumerate(folded) if name == wanted]
    if len(equal) == 1:
        return NameMatch(equal[0])
    scores: dict[int, float] = dict.fromkeys(equal, 100.0)
    for index, name in enumerate(folded):
        if index in scores or not name:
            continue
        if name.startswith(wanted) or wanted.startswith(name):
            scores[index] = 95.0
            continue
        score = fuzz.WRatio(normalise(text), normalise(names[index]), processor=None)
        if _has_cjk(wanted + name):
            score = max(score, fuzz.ratio(wanted, name))
            cutoff = CLOSE_CJK
        else:
            cutoff = CLOSE
        if score >= cutoff:
            scores[index] = score
    ranked = sorted(scores, key=lambda index: (-scores[index], index))
    if not ranked:
        return NameMatch(None)
    best = scores[ranked[0]]
    close = [index for index in ranked if best - scores[index] < MARGIN]
    return NameMatch(None, tuple(close[:OFFERED]))
