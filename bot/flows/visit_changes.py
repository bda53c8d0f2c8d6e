"""What /visits lists and does: the rep's planned visits, one visit's actions, cancel and move.

The changes themselves are `bot.changes`; the day and time of a move are read by `prep_time`,
whose step ids (`visit_day`, `visit_time`, `visit_again`) this flow shares.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot import changes
from bot.engine.context import Ctx, Option
from bot.errors import UserError
from bot.flows import prep_time
from bot.flows.people import visit_stamp
from bot.storage import repo
from bot.storage.models import Account, Visit

ACTIONS = ("move", "cancel")
PAGE_SIZE = 8  # visits as buttons on one page of the list, soonest first; "More ▸" pages


def start(ctx: Ctx, argument: str) -> None:
    """`/visits move:42` or `/visits cancel:42` opens the rep's own planned visit 42 there."""
    if not argument:
        return
    action, _, visit_id = argument.partition(":")
    if action in ACTIONS and visit_id.isdecimal():
        visit = changes.own_planned_visit(session=ctx.db, visit_id=int(visit_id), rep=ctx.user)
        if visit is not None:
            ctx.answers.update(visit=visit_id, action=action, opened=True)
            return
    raise UserError("errors/visit_not_found")


def _planned(ctx: Ctx) -> list[tuple[Visit, Account]]:
    rows: list[tuple[Visit, Account]] = ctx.remember(
        "visits:planned",
        lambda: list(repo.open_visits(session=ctx.db, rep_id=ctx.user.id or 0)),
    )
    return rows


def nothing_planned(ctx: Ctx) -> bool:
    """No visit named and none planned."""
    return not ctx.get("visit") and not _planned(ctx)


def visit_not_given(ctx: Ctx) -> bool:
    """The command named no visit, so the rep picks one."""
    return not ctx.get("opened")


def action_not_given(ctx: Ctx) -> bool:
    """A reminder's button names the action too; /visits asks for it."""
    return not ctx.get("opened")


def cancel_confirmed(ctx: Ctx) -> bool:
    return ctx.get("action") == "cancel" and ctx.get("cancel_sure") is True


def cancel_declined(ctx: Ctx) -> bool:
    return ctx.get("action") == "cancel" and ctx.get("cancel_sure") is False


def planned_visits(ctx: Ctx) -> list[Option]:
    """The planned visits, soonest first, as 'when · account'."""
    return [
        Option(str(visit.id), f"{visit_stamp(ctx, visit)} · {account.name}")
        for visit, account in _planned(ctx)
    ]


def list_context(ctx: Ctx) -> dict[str, Any]:
    rows = _planned(ctx)
    return {"count": len(rows)}


def visit_actions(ctx: Ctx) -> list[Option]:
    """Move it, or cancel it."""
    return [Option(action, ctx.labels(f"visit_{action}")) for action in ACTIONS]


def _visit(ctx: Ctx) -> Visit:
    """The rep's own visit picked or named, while still planned; anything else is refused."""
    picked = str(ctx.get("visit") or "")
    visit: Visit | None = None
    if picked.isdecimal():
        visit = ctx.remember(
            f"visits:{picked}",
            lambda: changes.own_planned_visit(session=ctx.db, visit_id=int(picked), rep=ctx.user),
        )
    if visit is None:
        raise UserError("errors/visit_not_found")
    return visit


def visit_context(ctx: Ctx) -> dict[str, Any]:
    """The visit: its account, when it is planned, its objective."""
    visit = _visit(ctx)
    account = ctx.db.get(Account, visit.account_id)
    return {
        "account": account.name if account else "",
        "when": visit_stamp(ctx, visit),
        "best": visit.objective_best,
    }


def move_time_not_given(ctx: Ctx) -> bool:
    """Moving, and the day came without a time ('Friday'): the time is asked next."""
    return ctx.get("action") == "move" and prep_time.no_time_given(ctx)


def time_suggestions(ctx: Ctx) -> list[Option]:
    """The visit's own time first, then the usual meeting times."""
    visit = _visit(ctx)
    usual = prep_time.time_suggestions(ctx)
    if visit.planned_at is None:
        return usual
    own = visit.planned_at.astimezone(ctx.zone).strftime("%H:%M")
    return [Option(own, own), *(option for option in usual if option.id != own)]


def moved_into_the_past(ctx: Ctx) -> bool:
    """The day and time given are already gone: a visit is moved only to a time to come."""
    return ctx.get("action") == "move" and prep_time.in_the_past(ctx)


def cancel_visit(ctx: Ctx) -> dict[str, Any]:
    """Cancelled: kept in the record, no longer planned, not to be debriefed."""
    shown = visit_context(ctx)
    changes.cancel_visit(session=ctx.db, visit_id=_visit(ctx).id or 0, rep=ctx.user, now=ctx.now)
    return shown


def move_visit(ctx: Ctx) -> dict[str, Any]:
    """At the new day and time; the debrief reminder moves with it."""
    before = visit_context(ctx)["when"]
    at = prep_time.planned_at(ctx)
    if at is None:
        raise UserError("errors/bad_date")
    changes.move_visit(
        session=ctx.db,
        visit_id=_visit(ctx).id or 0,
        rep=ctx.user,
        planned_at=at,
        now=ctx.now,
        remind_after=timedelta(hours=ctx.settings.debrief_reminder_hours),
    )
    return {**visit_context(ctx), "before": before}
