"""/debrief's visit: which one (a reminder's button names it), and the questions planned for it."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain import Outcome, VisitStatus
from bot.engine.context import Ctx, Item, Option
from bot.errors import UserError
from bot.flows.objective import has_objective, outcome_choices, outcome_of
from bot.flows.people import account_context, chosen_visit, is_row_id, visit_stamp
from bot.storage import repo
from bot.storage.models import Visit

UNPLANNED = "unplanned"
ANOTHER = "another"  # at the outcome of a visit the coach picked: the rep meant another one


def start(ctx: Ctx, argument: str) -> None:
    """`/debrief 42` (a reminder's button) opens the rep's own open visit 42 directly.

    The visit is then an answer the rep never gave at a step: `opened` says so, and the step
    that asks for a visit is left out (going back from the first question goes nowhere).
    """
    if not argument:
        due = visit_due_now(ctx)
        if due is not None:
            ctx.answers["visit"] = ctx.answers["picked"] = str(due)
        return
    if is_row_id(argument):
        visit = ctx.db.get(Visit, int(argument))
        if (
            visit is not None
            and visit.rep_id == ctx.user.id
            and visit.status == VisitStatus.PLANNED
        ):
            ctx.answers["visit"] = argument
            ctx.answers["opened"] = argument
            return
    raise UserError("errors/visit_not_found")


def visit_due_now(ctx: Ctx) -> int | None:
    """The rep's only open visit planned for earlier today, which /debrief then starts from
    (the outcome screen names it and offers another visit)."""
    due = [
        visit.id
        for visit, _ in repo.open_visits(session=ctx.db, rep_id=ctx.user.id or 0)
        if visit.planned_at is not None
        and visit.planned_at <= ctx.now
        and visit.planned_at.astimezone(ctx.zone).date() == ctx.today
    ]
    return due[0] if len(due) == 1 else None


def visit_not_given(ctx: Ctx) -> bool:
    """The command named no visit and the coach picked none (or the rep wants another)."""
    if ctx.get("opened"):
        return False
    return not ctx.get("picked") or ctx.get("outcome") == ANOTHER


def outcome_options(ctx: Ctx) -> list[Option]:
    """The plan's objective met or not, as outcomes; "another visit" too when the coach picked
    the visit."""
    outcomes = outcome_choices(ctx, chosen_visit(ctx))
    if ctx.get("picked") and not ctx.get("opened"):
        outcomes.append(Option(ANOTHER, ctx.labels("another_visit")))
    return outcomes


def chosen_outcome(ctx: Ctx) -> Outcome | None:
    """The outcome answered (an objective met is an advance), None before it is."""
    answer = ctx.get("outcome")
    return outcome_of(answer) if answer and answer != ANOTHER else None


def after_outcome(ctx: Ctx) -> str | None:
    """Another visit: back to the list of visits."""
    return "visit" if ctx.get("outcome") == ANOTHER else None


def open_visits(ctx: Ctx) -> list[Option]:
    """Today's planned visits first, then the other open ones, then 'an unplanned visit'."""
    today = ctx.today
    rows = repo.open_visits(session=ctx.db, rep_id=ctx.user.id or 0)

    def local_day(visit: Visit) -> date | None:
        return visit.planned_at.astimezone(ctx.zone).date() if visit.planned_at else None

    ordered = sorted(rows, key=lambda row: (local_day(row[0]) != today, row[0].planned_at is None))
    choices = [
        Option(str(visit.id), f"{visit_stamp(ctx, visit)} · {account.name}")
        for visit, account in ordered
    ]
    choices.append(Option(UNPLANNED, ctx.labels("unplanned_visit")))
    return choices


def in_the_future(ctx: Ctx) -> bool:
    """The visit picked is planned for later than now: has it happened already?"""
    visit = chosen_visit(ctx)
    return bool(visit and visit.planned_at and visit.planned_at > ctx.now)


def not_happened(ctx: Ctx) -> bool:
    """The rep said the visit is still to come: nothing to debrief yet."""
    return ctx.get("happened") is False


def outcome_context(ctx: Ctx) -> dict[str, Any]:
    """The plan's objective beside the outcome: did the visit get the best, the minimum?"""
    visit = chosen_visit(ctx)
    picked = bool(visit and visit.planned_at and ctx.get("picked") == ctx.get("visit"))
    when = visit.planned_at.astimezone(ctx.zone) if picked and visit and visit.planned_at else None
    return {
        **account_context(ctx),
        "best": visit.objective_best if visit else None,
        "minimum": visit.objective_minimum if visit else None,
        "judged": has_objective(visit),
        "picked_at": when.strftime("%H:%M") if when else None,
    }


def future_context(ctx: Ctx) -> dict[str, Any]:
    """When the visit is planned, in the rep's time."""
    visit = chosen_visit(ctx)
    when = visit.planned_at.astimezone(ctx.zone) if visit and visit.planned_at else None
    return {**account_context(ctx), "when": when.strftime("%m-%d %H:%M") if when else ""}


def unplanned(ctx: Ctx) -> bool:
    """A visit made without a /prep: its account and people are asked for."""
    return bool(ctx.get("visit") == UNPLANNED)


def planned_items(ctx: Ctx) -> list[Item]:
    """The visit's planned questions, in plan order."""
    visit = chosen_visit(ctx)
    if visit is None or visit.id is None:
        return []
    visit_id = visit.id
    items = ctx.remember(
        f"planned:{visit_id}",
        lambda: repo.visit_questions(session=ctx.db, visit_id=visit_id, planned_only=True),
    )
    names = {guide.id.value: ctx.t(guide.name) for guide in ctx.playbooks.spin.types}
    return [
        Item(str(item.id), {"question": item.question, "type": names[item.spin_type.value]})
        for item in items
    ]


def has_planned_questions(ctx: Ctx) -> bool:
    """The visit was planned with questions, so the rep ticks those asked."""
    return bool(planned_items(ctx))


def no_planned_questions(ctx: Ctx) -> bool:
    """No plan to tick from: questions asked are typed at a step of their own."""
    return not has_planned_questions(ctx)


def planned_options(ctx: Ctx) -> list[Option]:
    """The planned questions as tick boxes, labelled with their type's initial."""
    return [
        Option(item.key, f"{item.context['type']}: {item.context['question']}")
        for item in planned_items(ctx)
    ]


def asked_items(ctx: Ctx) -> list[Item]:
    """The planned questions the rep ticked as asked, for their answers."""
    ticked = set((ctx.get("asked") or {}).get("selected", []))
    return [item for item in planned_items(ctx) if item.key in ticked]
