"""/prep's SPIN plan: bank questions proposed for these people, own questions, the worksheet.

The plan is kept bank questions, the rep's own questions (marked with their SPIN type, or
read by the coach and checked by the rep) and the worksheet's problem, implication and
need-payoff rows, in SPIN order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.domain import SpinType, TypedBy
from bot.engine.context import Ctx, Item, Option
from bot.flows import options
from bot.flows.own_questions import question_drafts
from bot.flows.people import known_people
from bot.flows.prep_account import account_value
from bot.flows.prep_history import asked_bank_questions, unasked_questions

PROPOSED_PER_TYPE = 2
WORKSHEET_PROPOSALS = 2  # questions proposed for a worksheet row's implication, need-payoff
EXAMPLE_MATCH = 60  # a worked example this close to the rep's problem lends its questions
CARRIED = "carried:"  # the option id of an own question the last visit never got to


def _attendee_tags(ctx: Ctx) -> tuple[set[str], set[str]]:
    roles: set[str] = set()
    stages: set[str] = set()
    for person in known_people(ctx, each_id="person", attendees_key="attendees"):
        if person["role"]:
            roles.add(person["role"])
        if person["stage"]:
            stages.add(person["stage"])
    return roles, stages


def proposed_questions(ctx: Ctx) -> list[Option]:
    """The questions the last visit planned but never asked, then bank questions that fit
    the attendees' roles and stages and the sales stage, `PROPOSED_PER_TYPE` of each type.

    A bank question scores a point for a matching role, a matching contact stage and a
    matching sales stage. Carried questions (the rep's own first) come first within their
    type and take its places;
    a bank question carried over keeps its bank id, the rep's own are `carried:<item id>`.
    Bank questions the last visit asked are not proposed again.
    """
    return [option for option, _ in _proposals(ctx)]


def _proposals(ctx: Ctx) -> list[tuple[Option, SpinType]]:
    roles, stages = _attendee_tags(ctx)
    sales_stage = ctx.get("sales_stage") or account_value(ctx, "sales_stage")

    def build() -> list[tuple[Option, SpinType]]:
        # the rep's own words first: they are about this account, the bank's are general
        asked_before = asked_bank_questions(ctx)
        carried = sorted(unasked_questions(ctx), key=lambda item: item.typed_by == TypedBy.BANK)
        chosen: list[tuple[Option, SpinType]] = []
        for spin_type in SpinType:
            ours = [
                Option(item.bank_question_id or f"{CARRIED}{item.id}", f"↻ {item.question}")
                for item in carried
                if item.spin_type == spin_type
            ][:PROPOSED_PER_TYPE]
            taken = {option.id for option in ours} | asked_before
            scored = []
            for position, question in enumerate(ctx.playbooks.spin.questions):
                if question.type != spin_type or question.id in taken:
                    continue
                score = (
                    (2 if roles & set(question.roles) else 0)
                    + (1 if stages & set(question.contact_stages) else 0)
                    + (1 if sales_stage in question.sales_stages else 0)
                )
                scored.append((-score, position, question))
            best = sorted(scored, key=lambda entry: entry[:2])[: PROPOSED_PER_TYPE - len(ours)]
            chosen += [(option, spin_type) for option in ours]
            chosen += [
                (Option(question.id, ctx.t(question.text)), spin_type) for *_, question in best
            ]
        return chosen

    key = f"proposals:{sorted(roles)}:{sorted(stages)}:{sales_stage}"
    proposals: list[tuple[Option, SpinType]] = ctx.remember(key, build)
    return proposals


def all_proposed(ctx: Ctx) -> list[str]:
    """Every proposal starts kept; the rep drops what does not fit."""
    return [option.id for option in proposed_questions(ctx)]


def questions_context(ctx: Ctx) -> dict[str, Any]:
    """Each proposal's SPIN type as the mark a rep types for it ("S", "背景"): the numbered
    list stays short. "↻" marks what the last visit planned and never got to."""
    marks = options.spin_marks(ctx)
    return {"types": {option.id: marks[kind] for option, kind in _proposals(ctx)}}


def worksheet_items(ctx: Ctx) -> list[Item]:
    """One worksheet row per problem the playbook asks for."""
    count = ctx.playbooks.spin.worksheet.min_problems
    return [Item(str(number), {"number": number, "of": count}) for number in range(1, count + 1)]


def worksheet_context(ctx: Ctx) -> dict[str, Any]:
    """The worksheet's instructions (for the first row) and an example, a different one for
    each row, so every example the playbook gives is seen."""
    worksheet = ctx.playbooks.spin.worksheet
    number = int((ctx.item.context if ctx.item else {}).get("number", 1))
    example = worksheet.examples[(number - 1) % len(worksheet.examples)]
    sections = {section.type.value: ctx.t(section.prompt) for section in worksheet.sections}
    return {
        "intro": ctx.t(worksheet.intro),
        "sections": sections,
        "example": {
            "problem": ctx.t(example.problem),
            "implication": ctx.t(example.implication),
            "need_payoff": ctx.t(example.need_payoff),
        },
        "problem": ctx.here("problem"),
    }


def worksheet_proposals(kind: SpinType) -> Callable[[Ctx], list[Option]]:
    """For a worksheet row's implication or need-payoff: questions to keep or rewrite.

    The playbook's worked examples whose problem reads most like the rep's come first (their
    questions were written for such a problem), then the bank's questions of the type that
    read most like it; none already in the plan.
    """

    def proposals(ctx: Ctx) -> list[Option]:
        problem = str(ctx.here("problem") or "")
        worksheet = ctx.playbooks.spin.worksheet
        planned = {entry["text"] for entry in planned_questions(ctx)}
        by_example = process.extract(
            problem,
            [ctx.t(example.problem) for example in worksheet.examples],
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            limit=1,
            score_cutoff=EXAMPLE_MATCH,
        )
        texts = [ctx.t(getattr(worksheet.examples[index], kind.value)) for *_, index in by_example]
        bank = [ctx.t(q.text) for q in ctx.playbooks.spin.questions if q.type == kind]
        ranked = process.extract(
            problem, bank, scorer=fuzz.token_set_ratio, processor=utils.default_process, limit=None
        )
        texts += [text for text, *_ in ranked]
        fresh = [text for text in dict.fromkeys(texts) if text not in planned]
        return [Option(str(index), text) for index, text in enumerate(fresh[:WORKSHEET_PROPOSALS])]

    return proposals


def row_is_open(ctx: Ctx) -> bool:
    """Row 1 is always asked; a later row only after a row with a problem (Skip ends it)."""
    assert ctx.item is not None
    number = int(ctx.item.key)
    return number == 1 or bool(ctx.of("problem", str(number - 1), "problem"))


def has_problem(ctx: Ctx) -> bool:
    """The worksheet row names a problem, so its implication and need-payoff are asked."""
    return bool(ctx.here("problem"))


def worksheet_problems(ctx: Ctx) -> list[str]:
    """The problems the worksheet names, in the customer's words, row by row."""
    found = [ctx.of("problem", item.key, "problem") for item in worksheet_items(ctx)]
    return [text for text in found if text]


def planned_questions(ctx: Ctx) -> list[dict[str, Any]]:
    """The plan as it stands: kept bank questions, own questions, the worksheet's implication
    and need-payoff questions (its problems are statements, kept apart)."""
    bank = {question.id: question for question in ctx.playbooks.spin.questions}
    kept = (ctx.get("questions") or {}).get("selected", [])
    carried = {f"{CARRIED}{item.id}": item for item in unasked_questions(ctx)}
    plan: list[dict[str, Any]] = [
        _entry(bank[qid].type, ctx.t(bank[qid].text), TypedBy.BANK, bank_id=qid)
        for qid in kept
        if qid in bank
    ]
    for qid in kept:  # the rep's own, from the last visit: as typed, and by whom
        again = carried.get(qid)
        if again is not None:
            plan.append(
                _entry(again.spin_type, again.question, again.typed_by, read=again.read_type)
            )
    for own in question_drafts(ctx, "own_questions", "own_types"):
        plan.append(_entry(own.spin_type, own.text, own.typed_by, read=own.read_type))
    for item in worksheet_items(ctx):
        for field in ("implication", "need_payoff"):  # the problem is a statement: apart
            text = ctx.of("problem", item.key, field)
            if text:
                plan.append(_entry(SpinType(field), text, TypedBy.WORKSHEET))
    order = options.SPIN_ORDER
    return sorted(plan, key=lambda entry: order.get(entry["type"], 0))


def _entry(
    kind: SpinType,
    text: str,
    by: TypedBy,
    *,
    bank_id: str | None = None,
    read: SpinType | None = None,
) -> dict[str, Any]:
    return {
        "type": kind.value,
        "text": text,
        "bank_id": bank_id,
        "typed_by": by.value,
        "read": read.value if read else None,
    }


def plan_warnings(types: set[str]) -> list[str]:
    """Coaching warnings about a plan's mix of question types; the rep may go on regardless."""
    warnings = []
    if not types:
        warnings.append("no_questions")
    if SpinType.IMPLICATION.value not in types:
        warnings.append("no_implication")
    if SpinType.NEED_PAYOFF.value not in types:
        warnings.append("no_need_payoff")
    if types == {SpinType.SITUATION.value}:
        warnings.append("only_situation")
    return warnings
