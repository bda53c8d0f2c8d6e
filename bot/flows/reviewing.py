"""What /review and the comment thread show and save: whose visits, the record and its
transcript pages, the actions, the comment; the thread's record in brief and its reply."""

from __future__ import annotations

from typing import Any

from bot.engine.context import Ctx, Item, Option
from bot.errors import UserError
from bot.flows.people import is_row_id
from bot.flows.record import (
    add_comment,
    attendee_pages,
    question_pages,
    record_view,
    transcript_pages,
    visible_visit,
)
from bot.storage import repo, scopes
from bot.storage.models import User, Visit

VISITS_LISTED = 10
ACTIONS = ("questions", "people", "transcript", "comment", "done")


def people(ctx: Ctx) -> list[Option]:
    """Whose records the manager may review."""
    return [
        Option(str(person.id), person.display_name)
        for person in scopes.visible_people(session=ctx.db, viewer=ctx.user)
    ]


def rep_visits(ctx: Ctx) -> list[Option]:
    """The chosen rep's latest visits, newest first, within the manager's scope."""
    picked = (ctx.get("rep") or {}).get("id")
    if not is_row_id(str(picked or "")):
        return []
    rows = repo.latest_rep_visits(
        session=ctx.db, viewer=ctx.user, rep_id=int(str(picked)), limit=VISITS_LISTED
    )
    listed = []
    for visit, account, debrief in rows:
        when = visit.planned_at.astimezone(ctx.zone).strftime("%m-%d") if visit.planned_at else "—"
        state = (
            ctx.labels(f"outcome_{debrief.outcome.value}")
            if debrief
            else ctx.labels(f"status_{visit.status.value}")
        )
        listed.append(Option(str(visit.id), f"{when} · {account.name} · {state}"))
    return listed


def rep_context(ctx: Ctx) -> dict[str, Any]:
    """Whose visits are listed."""
    picked = str((ctx.get("rep") or {}).get("id") or "")
    rep = ctx.db.get(User, int(picked)) if is_row_id(picked) else None
    return {"rep": rep.display_name if rep else "", "empty": not rep_visits(ctx)}


def _visit(ctx: Ctx) -> Visit:
    visit = visible_visit(ctx, ctx.get("visit"))
    if visit is None:
        raise UserError("errors/visit_not_found")
    return visit


def actions(ctx: Ctx) -> list[Option]:
    """What to do with the record; its transcript only when it has one (a demo visit has not),
    its people when the record shows only some of them."""
    return [
        Option(action, ctx.labels(f"review_{action}"))
        for action in ACTIONS
        if (action != "transcript" or _transcript(ctx))
        and (action != "questions" or _questions(ctx))
        and (action != "people" or _record(ctx)["people_more"])
    ]


def _questions(ctx: Ctx) -> list[Item]:
    """The record's questions in pages, read once per event."""
    key = f"questions/{ctx.get('visit')}"
    found: list[Item] = ctx.remember(key, lambda: question_pages(_record(ctx)["questions"]))
    return found


def questions_pages(ctx: Ctx) -> list[Item]:
    return _questions(ctx) if ctx.get("action") == "questions" else []


def people_pages(ctx: Ctx) -> list[Item]:
    """Everyone at the visit, in pages, when the record shows only a few of them."""
    if ctx.get("action") != "people":
        return []
    found: list[Item] = ctx.remember(
        f"people/{ctx.get('visit')}", lambda: attendee_pages(_record(ctx)["people"])
    )
    return found


def _transcript(ctx: Ctx) -> list[Item]:
    """The visit's transcript pages, read once per event."""
    key = f"transcript/{ctx.get('visit')}"
    pages: list[Item] = ctx.remember(key, lambda: transcript_pages(ctx, _visit(ctx)))
    return pages


def _record(ctx: Ctx) -> dict[str, Any]:
    """The visit's record, read once per event: the screen and its actions both need it."""
    record: dict[str, Any] = ctx.remember(
        f"record/{ctx.get('visit')}", lambda: record_view(ctx, _visit(ctx))
    )
    return record


def record_context(ctx: Ctx) -> dict[str, Any]:
    return _record(ctx)


def pages(ctx: Ctx) -> list[Item]:
    return _transcript(ctx) if ctx.get("action") == "transcript" else []


def after_page(ctx: Ctx) -> str | None:
    """After the last page (of the transcript, of the questions), back to the record and its
    actions (so: comment)."""
    page = ctx.item.context if ctx.item else {}
    return "action" if page.get("number") == page.get("of") else None


def save_comment(ctx: Ctx) -> None:
    if ctx.get("comment"):
        add_comment(ctx, _visit(ctx), ctx.get("comment"))


def done_context(ctx: Ctx) -> dict[str, Any]:
    return {"commented": bool(ctx.get("comment")), "rep": rep_context(ctx)["rep"]}


def open_thread(ctx: Ctx, argument: str) -> None:
    """`/thread 42` (a notification's button) opens visit 42 if the user may see it."""
    if visible_visit(ctx, argument) is None:
        raise UserError("errors/visit_not_found")
    ctx.answers["visit"] = argument


def thread_context(ctx: Ctx) -> dict[str, Any]:
    return record_view(ctx, _visit(ctx))


def save_reply(ctx: Ctx) -> None:
    if ctx.get("visit") and ctx.get("reply"):
        add_comment(ctx, _visit(ctx), ctx.get("reply"))
