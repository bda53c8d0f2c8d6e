"""What /next lists and does: the open steps (overdue first), one step's actions, and the
changes, which `bot.changes` makes.

The answer `visit` is the id of the debriefed visit whose step it is (one step per debrief),
so the account card helpers read the same answer as everywhere else.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import changes
from bot.engine.context import Ctx, Option
from bot.engine.dates import parse_when
from bot.errors import UserError
from bot.flows.account_card import card_context
from bot.storage import repo
from bot.storage.models import Account, Debrief, User, Visit
from bot.text import cut

PAGE_SIZE = 8  # steps as buttons on one page of the list, most urgent first; "More ▸" pages
DATE_OFFSETS = (1, 3, 7)
ACTIONS = ("done", "date", "account")
ARGUMENTS = ("done", "date")  # `/next done:42`, `/next date:42`
STEP_LABEL = 40  # characters of a step's text on its button


def start(ctx: Ctx, argument: str) -> None:
    """`/next done:42` or `/next date:42` opens the rep's own step of visit 42 at that action.

    A step already done may be opened to be told so; only an open one may get a new date.
    """
    if not argument:
        return
    action, _, visit_id = argument.partition(":")
    if action in ARGUMENTS and visit_id.isdecimal():
        found = changes.own_next_step(session=ctx.db, visit_id=int(visit_id), rep=ctx.user)
        if found is not None and (action == "done" or found[0].next_step_done_at is None):
            ctx.answers.update(visit=visit_id, action=action, opened=True)
            return
    raise UserError("errors/next_step_not_found")


def _open(ctx: Ctx) -> list[tuple[Debrief, Visit, Account]]:
    rows: list[tuple[Debrief, Visit, Account]] = ctx.remember(
        "next:open",
        lambda: list(repo.open_next_steps(session=ctx.db, rep_id=ctx.user.id or 0)),
    )
    return rows


def _overdue(debrief: Debrief, ctx: Ctx) -> bool:
    return bool(debrief.next_step_due and debrief.next_step_due < ctx.today)


def _day(day: date | None) -> str:
    return day.strftime("%m-%d") if day else "—"


def nothing_open(ctx: Ctx) -> bool:
    """No step named and none open: there is nothing to list."""
    return not ctx.get("visit") and not _open(ctx)


def step_not_given(ctx: Ctx) -> bool:
    """The command named no step, so the rep picks one."""
    return not ctx.get("opened")


def action_not_given(ctx: Ctx) -> bool:
    """A reminder's button names the action too; /next asks for it."""
    return not ctx.get("opened")


def steps_open(ctx: Ctx) -> list[Option]:
    """Every open step as a button, most urgent first: ⏰ when overdue, due day, account, step."""
    listed = []
    for debrief, visit, account in _open(ctx):
        mark = "⏰ " if _overdue(debrief, ctx) else ""
        text = cut(" ".join((debrief.next_step or "").split()), STEP_LABEL)
        label = f"{mark}{_day(debrief.next_step_due)} · {account.name} · {text}"
        listed.append(Option(str(visit.id), label))
    return listed


def list_context(ctx: Ctx) -> dict[str, Any]:
    """How many steps are open, how many overdue."""
    rows = _open(ctx)
    return {
        "count": len(rows),
        "overdue": sum(1 for debrief, _, _ in rows if _overdue(debrief, ctx)),
    }


def _step(ctx: Ctx) -> tuple[Debrief, Visit]:
    """The rep's own step picked or named; gone (another rep's, forged) is refused."""
    picked = str(ctx.get("visit") or "")
    found = (
        changes.own_next_step(session=ctx.db, visit_id=int(picked), rep=ctx.user)
        if picked.isdecimal()
        else None
    )
    if found is None:
        raise UserError("errors/next_step_not_found")
    return found


def step_actions(ctx: Ctx) -> list[Option]:
    """Done, a new date, or the account."""
    labels = {"done": "step_done", "date": "step_date", "account": "open_account"}
    return [Option(action, ctx.labels(labels[action])) for action in ACTIONS]


def step_context(ctx: Ctx) -> dict[str, Any]:
    """The step in full: its account, text, due day, and the visit it came from."""
    debrief, visit = _step(ctx)
    account = ctx.db.get(Account, visit.account_id)
    held = visit.planned_at.astimezone(ctx.zone).date() if visit.planned_at else None
    return {
        "account": account.name if account else "",
        "step": debrief.next_step,
        "due": debrief.next_step_due.isoformat() if debrief.next_step_due else None,
        "overdue": _overdue(debrief, ctx),
        "visited": held.isoformat() if held else None,
    }


def account_card(ctx: Ctx) -> dict[str, Any]:
    """The step's account card, as /accounts shows it."""
    _step(ctx)
    return card_context(ctx)


def _due(ctx: Ctx) -> date | None:
    answer = ctx.get("due_again") or ctx.get("due")
    return date.fromisoformat(answer["day"]) if answer else None


def due_passed(ctx: Ctx) -> bool:
    """The day typed is already gone: a step is not moved into the past."""
    answer = ctx.get("due")
    return bool(answer) and date.fromisoformat(answer["day"]) < ctx.today


def parse_due_again(text: str, ctx: Ctx) -> dict[str, str | None]:
    """A day from today on ('Friday', '12/9'); the past is refused again."""
    when = parse_when(text, ctx.today)
    if when.day < ctx.today:
        raise UserError("errors/date_passed")
    return {"day": when.day.isoformat(), "time": None}


def _who(ctx: Ctx, user_id: int | None) -> str:
    person = ctx.db.get(User, user_id) if user_id is not None else None
    return person.display_name if person else ""


def mark_done(ctx: Ctx) -> dict[str, Any]:
    """Done now, by the rep; a step done before says when and by whom instead."""
    debrief, _ = _step(ctx)
    already = debrief.next_step_done_at is not None
    debrief = changes.mark_step_done(
        session=ctx.db, visit_id=debrief.visit_id, rep=ctx.user, now=ctx.now
    )
    done_at = debrief.next_step_done_at
    return {
        **step_context(ctx),
        "already": already,
        "when": done_at.astimezone(ctx.zone).strftime("%Y-%m-%d %H:%M") if done_at else "",
        "by": _who(ctx, debrief.next_step_done_by),
        "left": len(repo.open_next_steps(session=ctx.db, rep_id=ctx.user.id or 0)),
    }


def move_due(ctx: Ctx) -> dict[str, Any]:
    """The step's new day."""
    debrief, _ = _step(ctx)
    due = _due(ctx)
    assert due is not None
    changes.move_step(
        session=ctx.db,
        visit_id=debrief.visit_id,
        rep=ctx.user,
        due=due,
        today=ctx.today,
        now=ctx.now,
    )
    return step_context(ctx)
