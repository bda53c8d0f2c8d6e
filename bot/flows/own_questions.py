"""Questions the rep types in their own words, in /prep (to ask) and /debrief (also asked).

Each question is read by the SPIN classifier; a type the rep marks ('I: ...', '暗示：...')
is taken as given. The check step after the typed questions shows what the coach read, asks
what it is unsure of, and keeps who gave each type: the rep's word wins over the coach's.
"""

from __future__ import annotations

import hashlib
import re
from functools import partial
from typing import Any

from bot.coaching.spin.reading import classifier_for, read_question, split_questions
from bot.domain import SpinType, TypedBy
from bot.engine.context import Ctx, Item
from bot.engine.steps.ask import free_text
from bot.engine.steps.check_labels import CheckLabels
from bot.errors import UserError
from bot.flows import options
from bot.storage.drafts import QuestionDraft
from bot.text import LANGUAGES, cut

# One screen checks them all: a visit has room for a handful of the rep's own questions.
MAX_OWN_QUESTIONS = 12
# The check screen stays short: statements beyond the first few get no example, long lines are
# shown cut (they are kept whole).
HINTED_STATEMENTS = 2
SHOWN_CHARS = 160
# A short word before a colon may mark the SPIN type; which words do is the catalogs' business.
_PREFIX = re.compile(r"^\s*([^:：\n]{1,20}?)\s*[:：]\s*(.+)$")


def parse_own_questions(text: str, ctx: Ctx) -> list[dict[str, Any]]:
    """Each question with the type the rep marked (or None) and the type the coach reads."""
    pieces = split_questions(free_text(text, ctx))
    if not pieces:
        raise UserError("errors/no_question")
    if len(pieces) > MAX_OWN_QUESTIONS:
        raise UserError("errors/too_many_questions", count=len(pieces), limit=MAX_OWN_QUESTIONS)
    classifier = classifier_for(ctx.settings.playbook_dir)
    questions = []
    for piece in pieces:
        marked, body = _marked_type(piece, ctx)
        read = read_question(body, classifier)
        questions.append(
            {
                "type": marked,
                "text": body,
                "read": read.type.value,
                "confidence": read.confidence,
                "question": read.is_question,
                "sure": read.sure,
            }
        )
    return questions


def more_questions(text: str, ctx: Ctx, so_far: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Questions typed beside a list of planned ones, added to those typed before."""
    questions = so_far + parse_own_questions(text, ctx)
    if len(questions) > MAX_OWN_QUESTIONS:
        raise UserError("errors/too_many_questions", count=len(questions), limit=MAX_OWN_QUESTIONS)
    return questions


def question_text(entry: dict[str, Any]) -> str:
    """A typed question as its button shows it."""
    return str(entry["text"])


def _marked_type(line: str, ctx: Ctx) -> tuple[str | None, str]:
    """'I: What happens…' -> ('implication', 'What happens…'); unmarked lines stay whole."""
    found = _PREFIX.match(line)
    if found:
        prefix = found.group(1).lower()
        for kind, words in _prefixes(ctx).items():
            if prefix in words and found.group(2).strip():
                return kind, found.group(2).strip()
    return None, line


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


def check_types(step_id: str, *, of: str) -> CheckLabels:
    """The step after typed questions (answer `of`): the types the coach read, to check."""
    return CheckLabels(
        step_id,
        items=partial(unmarked_items, key=of),
        labels=options.spin_types,
        proposed=partial(proposed_types, key=of),
        when=partial(has_unmarked, key=of),
        getter=partial(check_context, key=of),
    )


def check_context(ctx: Ctx, key: str) -> dict[str, Any]:
    """How many questions the rep marked themselves, beside those the check shows."""
    marked = sum(1 for entry in ctx.get(key) or [] if entry.get("type") is not None)
    return {"marked": marked}


def check_key(index: int, entry: dict[str, Any]) -> str:
    """A question's key in the check: its place and its words, so a type given to one
    question never lands on another typed in its place after going back."""
    digest = hashlib.sha256(entry["text"].encode("utf-8")).hexdigest()[:8]
    return f"{index}-{digest}"


def unmarked_items(ctx: Ctx, key: str) -> list[Item]:
    """The questions under `key` the rep did not mark, for the check step.

    A line that is no question is said so, with the playbook's example of the type it reads
    as (for the first few: the screen stays short); very long lines are shown cut.
    """
    examples = {guide.id.value: ctx.t(guide.example) for guide in ctx.playbooks.spin.types}
    items = []
    hinted = 0
    for index, entry in enumerate(ctx.get(key) or []):
        if entry.get("type") is not None:
            continue
        statement = not entry.get("question", True)
        hint = statement and hinted < HINTED_STATEMENTS
        hinted += hint
        text = entry["text"]
        shown = cut(text, SHOWN_CHARS)
        items.append(
            Item(
                check_key(index, entry),
                {
                    "question": shown,
                    "statement": hint,
                    "example": examples.get(entry.get("read") or ""),
                },
            )
        )
    return items


def proposed_types(ctx: Ctx, key: str) -> dict[str, str | None]:
    """What the coach read of each unmarked question, or None where it is not sure."""
    return {
        check_key(index, entry): entry.get("read") if entry.get("sure") else None
        for index, entry in enumerate(ctx.get(key) or [])
        if entry.get("type") is None
    }


def has_unmarked(ctx: Ctx, key: str) -> bool:
    """Some question under `key` has no type from the rep yet, so the check step is shown."""
    return any(entry.get("type") is None for entry in ctx.get(key) or [])


def question_drafts(ctx: Ctx, key: str, checked_at: str) -> list[QuestionDraft]:
    """The questions with their final types: marked, checked (kept or changed) or, for a
    flow state saved before the check existed, the type the rep chose then (/prep asked
    each unmarked question's type) or else as read now."""
    checked = ctx.get(checked_at) or {}
    labels = checked.get("labels", {})
    changed = set(checked.get("changed", []))
    drafts = []
    for index, entry in enumerate(ctx.get(key) or []):
        read = _spin_type(entry.get("read"))
        keyed = check_key(index, entry)
        chosen_before = (
            _spin_type(ctx.get(f"own/{index}/own_type")) if key == "own_questions" else None
        )
        if entry.get("type") is not None:
            kind, by = SpinType(entry["type"]), TypedBy.REP
        elif labels.get(keyed) is not None:
            kind = SpinType(labels[keyed])
            by = TypedBy.REP if keyed in changed else TypedBy.COACH
        elif chosen_before is not None:
            kind, by = chosen_before, TypedBy.REP
        else:
            classifier = classifier_for(ctx.settings.playbook_dir)
            read = read or read_question(entry["text"], classifier).type
            kind, by = read, TypedBy.COACH
        drafts.append(QuestionDraft(kind, entry["text"], typed_by=by, read_type=read))
    return drafts


def _spin_type(value: Any) -> SpinType | None:
    try:
        return SpinType(value) if value else None
    except ValueError:
        return None
