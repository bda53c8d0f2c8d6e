"""A rep's message read as SPIN questions: split into questions, each with the type it reads as.

Reps type several questions in one message (one a line, joined by ';', or simply one after
another: "How many lines run? What does a stop cost?"). Each is classified on its own, in the
language it is written in. A reading is *sure* when the line is a question and the model is
confident enough; an unsure one is asked of the rep rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.coaching.spin.features import looks_like_question
from bot.coaching.spin.model import SpinClassifier, load_classifier
from bot.domain import SpinType

# On the dev ideas, readings at or above this are right 95 % (zh) and 93 % (en) of the time and
# cover about 89 % of questions; below it the coach asks instead of guessing (bench/spin.py).
SURE = 0.6

_BREAK = re.compile(r"[\r\n;；]+")
_AFTER_QUESTION_MARK = re.compile(r"(?<=[?？])\s*(?=[^\W_])")
# A list marker ("- ", "• ", "1. ", "2、") before a question; "*bold*" and "1.5" are kept.
_BULLET = re.compile(r"^\s*(?:[-•*·]\s+|\d{1,2}[.)]\s+|\d{1,2}、)?")


@dataclass(frozen=True)
class ReadQuestion:
    """One question as the coach read it."""

    text: str
    type: SpinType
    confidence: float
    is_question: bool

    @property
    def sure(self) -> bool:
        """Confident enough to show as read (the rep may still change it)."""
        return self.is_question and self.confidence >= SURE


def split_questions(text: str) -> list[str]:
    """The questions of a message, in order; pieces without a letter or digit are left out."""
    pieces = []
    for line in _BREAK.split(text):
        for piece in _AFTER_QUESTION_MARK.split(line):
            piece = _BULLET.sub("", piece).strip()
            if any(char.isalnum() for char in piece):
                pieces.append(piece)
    return pieces


def read_question(text: str, classifier: SpinClassifier) -> ReadQuestion:
    """What type `text` reads as, in the language it is written in."""
    reading = classifier.classify(text)
    return ReadQuestion(
        text=text,
        type=reading.type,
        confidence=round(reading.confidence, 2),
        is_question=looks_like_question(text, reading.lang),
    )


@lru_cache(maxsize=4)
def classifier_for(playbooks: Path) -> SpinClassifier:
    """One classifier per process and playbook directory (the bank is training data too)."""
    return load_classifier(playbooks=playbooks)
