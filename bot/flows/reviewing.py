"""What /review and the comment thread show and save: whose visits, the record (in pages of
a phone's screen) and its transcript pages, the actions, the comment; the thread's record in
brief, its newest comments and its reply, and every comment in pages (an aside)."""

from __future__ import annotations

from typing import Any

from bot.engine.context import Ctx, Item, Option
from bot.engine.pages import cut_to_lines, screen_lines, split_pages
from bot.engine.steps.base import Link
from bot.engine.steps.info import Paged, page_argument
from bot.errors import UserError
from bot.flows.people import is_row_id
from bot.flows.record import (
    add_comment,
    attendee_pages,
    comments,
    question_pages,
    record_view,
    transcript_pages,
    visible_visit,
)
from bot.storage import repo, scopes
from bot.storage.models import Account, User, Visit
from bot.text import rendered

VISITS_LISTED = 10
ACTIONS = ("more", "questions", "people", "transcript", "comment", "done")
SCREEN_LINES = 20  # a message on a phone: the record's pages, the thread, the comments' pages
BRIEF_NEXT_STEP_LINES = 2  # the thread's record in brief: its next step in at most two lines
COMMENT_PAGES = Paged(
    flow="comments",
    argument=lambda shown: str(shown["visit_id"]),
    first=SCREEN_LINES,
    rest=SCREEN_LINES,
)


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
        and (action != "more" or len(_record_pages(ctx)) > 1)
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


def _record_pages(ctx: Ctx) -> list[str]:
    """The record in pages of a phone's screen, read once per event: with its comments and
    corrections in full, a record outgrows one screen; the rest is one "More" away."""
    found: list[str] = ctx.remember(
        f"record-pages/{ctx.get('visit')}",
        lambda: split_pages(
            ctx.texts.render("shared/record", ctx.language, **_record(ctx)),
            first=SCREEN_LINES,
            rest=SCREEN_LINES,
        ),
    )
    return found


def record_context(ctx: Ctx) -> dict[str, Any]:
    """The record's first page, above the actions."""
    return {"record": rendered(_record_pages(ctx)[0])}


def record_more_pages(ctx: Ctx) -> list[Item]:
    """The record's further pages, after "More"; then back to the actions."""
    if ctx.get("action") != "more":
        return []
    pages = _record_pages(ctx)
    return [
        Item(str(number), {"number": number, "of": len(pages), "text": rendered(page)})
        for number, page in enumerate(pages[1:], start=2)
    ]


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
    """The record in brief and as many of the newest comments as fit one screen (the newest
    one cut if it alone is too long); the rest are under "All comments"."""
    found: dict[str, Any] = ctx.remember(f"thread/{ctx.get('visit')}", lambda: _thread(ctx))
    return found


def _thread(ctx: Ctx) -> dict[str, Any]:
    record = record_view(ctx, _visit(ctx))
    if record["next_step"]:
        record["next_step"] = cut_to_lines(record["next_step"], BRIEF_NEXT_STEP_LINES)
    every = record["comments"]
    shown = dict(record, total=len(every), earlier=0, cut=False)
    while len(shown["comments"]) > 1 and _thread_lines(ctx, shown) > SCREEN_LINES:
        shown.update(comments=shown["comments"][1:], earlier=shown["earlier"] + 1)
    if shown["comments"] and _thread_lines(ctx, shown) > SCREEN_LINES:  # the newest alone
        newest = dict(shown["comments"][-1])
        shown.update(comments=[newest], cut=True)
        while _thread_lines(ctx, shown) > SCREEN_LINES and newest["text"] != "…":
            lines = screen_lines(newest["text"]) - (_thread_lines(ctx, shown) - SCREEN_LINES)
            newest["text"] = cut_to_lines(newest["text"], lines) if lines > 0 else "…"
    return shown


def _thread_lines(ctx: Ctx, shown: dict[str, Any]) -> int:
    return screen_lines(ctx.texts.render("thread/reply", ctx.language, **shown))


def thread_links(ctx: Ctx, shown: dict[str, Any]) -> list[Link]:
    """ "All comments" when some are not on the screen, or the newest is cut."""
    if not (shown.get("earlier") or shown.get("cut")):
        return []
    label = ctx.texts.label("all_comments", ctx.language, count=shown["total"])
    return [Link(label, "comments", str(shown["visit_id"]))]


def comments_wanted(ctx: Ctx, argument: str) -> None:
    """`/comments 42:2` is page 2 of visit 42's comments, if the user may see the visit."""
    visit_id, page = page_argument(argument)
    if visible_visit(ctx, visit_id) is not None:
        ctx.answers.update(visit=visit_id, page=page or 1)


def has_comments(ctx: Ctx) -> bool:
    return visible_visit(ctx, ctx.get("visit")) is not None


def no_comments(ctx: Ctx) -> bool:
    return not has_comments(ctx)


def comments_context(ctx: Ctx) -> dict[str, Any]:
    """Every comment on the visit, oldest first, in full."""
    visit = _visit(ctx)
    account = ctx.db.get(Account, visit.account_id)
    return {
        "visit_id": visit.id,
        "account": account.name if account else "",
        "comments": comments(ctx, visit),
    }


def save_reply(ctx: Ctx) -> None:
    if ctx.get("visit") and ctx.get("reply"):
        add_comment(ctx, _visit(ctx), ctx.get("reply"))
