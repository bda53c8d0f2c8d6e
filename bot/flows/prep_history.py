"""What a repeat visit starts from: the rep's last visit to the account.

Its people are preselected, its open next step is offered as this visit's objective, and the
questions it planned but never asked come back as proposals, so a second visit asks only what
has changed.
"""

from __future__ import annotations

from typing import Any

from bot.engine.context import Ctx, Option
from bot.engine.steps.ask import first_line_and_rest
from bot.flows.people import account_of
from bot.storage import repo
from bot.storage.models import SpinItem, Visit


def last_visit(ctx: Ctx) -> Visit | None:
    """The rep's latest visit to the account picked (None for a new account)."""

    def find() -> Visit | None:
        account = account_of(ctx)
        if account is None or account.id is None or ctx.user.id is None:
            return None
        return repo.last_visit(session=ctx.db, account_id=account.id, rep_id=ctx.user.id)

    found: Visit | None = ctx.remember(f"last_visit:{(ctx.get('account') or {}).get('id')}", find)
    return found


def last_attendees(ctx: Ctx) -> list[str]:
    """The people of the last visit, as the attendee options' ids: preselected."""
    visit = last_visit(ctx)
    if visit is None or visit.id is None:
        return []
    return [str(contact.id) for contact in repo.visit_attendees(session=ctx.db, visit_id=visit.id)]


def open_next_step(ctx: Ctx) -> str | None:
    """The last visit's next step, when it is not done yet: what this visit is likely for."""
    visit = last_visit(ctx)
    if visit is None or visit.id is None:
        return None
    debrief = repo.visit_debrief(session=ctx.db, visit_id=visit.id)
    if debrief is None or debrief.next_step_done_at is not None:
        return None
    return debrief.next_step


def unasked_questions(ctx: Ctx) -> list[SpinItem]:
    """Questions the last visit planned and its debrief says were not asked."""
    return [item for item in _last_questions(ctx) if item.planned and item.asked is False]


def asked_bank_questions(ctx: Ctx) -> set[str]:
    """The bank questions the last visit asked: not proposed again straight away."""
    return {
        item.bank_question_id
        for item in _last_questions(ctx)
        if item.asked and item.bank_question_id is not None
    }


def _last_questions(ctx: Ctx) -> list[SpinItem]:
    visit = last_visit(ctx)
    if visit is None or visit.id is None:
        return []
    visit_id = visit.id
    found: list[SpinItem] = ctx.remember(
        f"last_questions:{visit_id}",
        lambda: list(repo.visit_questions(session=ctx.db, visit_id=visit_id)),
    )
    return found


def objective_suggestions(ctx: Ctx) -> list[Option]:
    """The open next step, one tap away from being this visit's best objective."""
    step = open_next_step(ctx)
    return [Option("next_step", step)] if step else []


def parse_objective(text: str, ctx: Ctx) -> dict[str, Any]:
    """The best commitment on the first line; a second line, if any, is the minimum."""
    best, minimum = first_line_and_rest(text, ctx)
    return {"best": best, "minimum": minimum}


def objective(ctx: Ctx) -> tuple[str | None, str | None]:
    """Best and minimum commitment, from one message or two (older states kept a string)."""
    given = ctx.get("objective_best")
    if isinstance(given, dict):
        best, minimum = given.get("best"), given.get("minimum")
    else:
        best, minimum = given, None
    return best, minimum if minimum else ctx.get("objective_minimum")


def minimum_missing(ctx: Ctx) -> bool:
    """The minimum is asked on its own only when the objective came without one."""
    given = ctx.get("objective_best")
    return not (isinstance(given, dict) and given.get("minimum"))
