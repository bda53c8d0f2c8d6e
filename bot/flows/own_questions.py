"""Questions the rep types in their own words, in /prep (to ask) and /debrief (also asked)."""

from __future__ import annotations

import re

from bot.domain import SpinType
from bot.engine.context import Ctx
from bot.engine.steps.ask import free_text
from bot.errors import UserError
from bot.text import LANGUAGES

_QUESTION_BREAK = re.compile(r"[\r\n;；]+")  # Enter sends in the terminal: ';' joins several
# A short word before a colon may mark the SPIN type; which words do is the catalogs' business.
_PREFIX = re.compile(r"^\s*([^:：\n]{1,20}?)\s*[:：]\s*(.+)$")


def parse_own_questions(text: str, ctx: Ctx) -> list[dict[str, str | None]]:
    """One question per line or per ';'; 'I: ...' or '暗示：...' sets its SPIN type, else asked."""
    questions = []
    for line in _QUESTION_BREAK.split(free_text(text, ctx)):
        line = line.strip(" -•\t")
        if not line:
            continue
        spin_type = None
        found = _PREFIX.match(line)
        if found:
            prefix = found.group(1).lower()
            spin_type = next(
                (kind for kind, words in _prefixes(ctx).items() if prefix in words), None
            )
            if spin_type is not None:
                line = found.group(2).strip()
        questions.append({"type": spin_type, "text": line})
    if not questions:
        raise UserError("errors/empty")
    return questions


def _prefixes(ctx: Ctx) -> dict[str, set[str]]:
    """The words that mark a SPIN type ("I", "暗示"), from the catalogs of every language."""
    return {
        kind.value: {
            word.lower()
            for language in LANGUAGES
            for word in ctx.texts.words(f"prefix_{kind.value}", language)
        }
        for kind in SpinType
    }
