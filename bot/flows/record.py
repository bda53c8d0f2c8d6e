"""A call record as a reviewer reads it, and its comment thread; shared by /review and replies.

Every visit is loaded through `scopes.scope_visits`, so a forged id never shows another rep's or
another team's record.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from bot.domain import ReminderKind, Speaker, SpinType
from bot.engine.context import Ctx, Item
from bot.flows import options
from bot.storage import scopes
from bot.storage.models import (
    CoachingComment,
    FlowSession,
    Reminder,
    TranscriptLine,
    User,
    Visit,
)
from bot.text import plain
from bot.visit_records import record_of

PAGE_CHARACTERS = 3000


def visible_visit(ctx: Ctx, visit_id: Any) -> Visit | None:
    """The visit if the user may see it, else None."""
    if not str(visit_id).isdecimal():
        return None
    visit: Visit | None = ctx.remember(
        f"visible:{visit_id}",
        lambda: ctx.db.exec(
            scopes.scope_visits(select(Visit).where(Visit.id == int(visit_id)), viewer=ctx.user)
        ).first(),
    )
    return visit


def record_view(ctx: Ctx, visit: Visit) -> dict[str, Any]:
    """The export record of the visit, in labels: plan vs asked, people, moves, score."""
    data = record_of(session=ctx.db, playbooks=ctx.playbooks, visit=visit, transcripts=False)
    names = {guide.id.value: ctx.t(guide.name) for guide in ctx.playbooks.spin.types}
    order = list(SpinType)

    def described(phase: dict[str, Any] | None) -> str | None:
        if phase is None:
            return None
        labels = (
            options.label_of(options.roles(ctx), phase["buying_role"]),
            options.label_of(options.stances(ctx), phase["stance"]),
            options.label_of(options.contact_stages(ctx), phase["relationship_stage"]),
        )
        return " · ".join(label for label in labels if label)

    people_names = {person["contact_id"]: person["name"] for person in data["attendees"]}
    debrief = data["debrief"]
    items = {item.id: ctx.t(item.label) for item in ctx.playbooks.scorecard.items}
    return {
        "visit_id": data["visit_id"],
        "account": data["account"]["name"],
        "rep": data["rep"]["name"],
        "when": visit.planned_at.astimezone(ctx.zone).strftime("%Y-%m-%d %H:%M")
        if visit.planned_at
        else "—",
        "best": data["objective"]["best"],
        "minimum": data["objective"]["minimum"],
        "status": ctx.labels(f"status_{data['status']}"),
        "outcome": ctx.labels(f"outcome_{debrief['outcome']}") if debrief else None,
        "questions": [
            {
                "type": names[item["type"]],
                "text": item["question"],
                "planned": item["planned"],
                "asked": item["asked"],
                "answer": item["answer"],
            }
            for item in sorted(data["spin_items"], key=lambda entry: order.index(entry["type"]))
        ],
        "people": [
            {
                "name": person["name"],
                "before": described(person["prep"]),
                "after": described(person["debrief"]),
                "attended": (person["debrief"] or {}).get("attended", True),
            }
            for person in data["attendees"]
        ],
        "moves": [
            {
                "name": people_names.get(move["contact_id"], data["account"]["name"]),
                "from": options.label_of(options.contact_stages(ctx), move["from_stage"]),
                "to": options.label_of(options.contact_stages(ctx), move["to_stage"]),
                "evidence": move["evidence"],
            }
            for move in data["stage_changes"]
        ],
        "summary": debrief["summary"] if debrief else None,
        "next_step": debrief["next_step"] if debrief else None,
        "due": debrief["next_step_due"] if debrief else None,
        "implied": debrief["implied_needs"] if debrief else None,
        "explicit": debrief["explicit_needs"] if debrief else None,
        "score": (
            {
                "points": data["score"]["points"],
                "maximum": data["score"]["maximum"],
                "lines": [
                    {"label": items.get(line["id"], line["id"]), "met": line["met"]}
                    for line in data["score"]["items"]
                ],
            }
            if data["score"]
            else None
        ),
        "comments": comments(ctx, visit),
    }


def comments(ctx: Ctx, visit: Visit) -> list[dict[str, Any]]:
    """The thread, oldest first."""
    thread = ctx.db.exec(
        select(CoachingComment, User)
        .join(User, col(User.id) == CoachingComment.author_id)
        .where(CoachingComment.visit_id == visit.id)
        .order_by(col(CoachingComment.created_at), col(CoachingComment.id))
    ).all()
    return [
        {
            "author": author.display_name,
            "text": comment.text,
            "when": comment.created_at.astimezone(ctx.zone).strftime("%m-%d %H:%M"),
        }
        for comment, author in thread
    ]


def transcript_pages(ctx: Ctx, visit: Visit) -> list[Item]:
    """The prep and debrief transcripts of the visit, in pages that fit a phone message."""
    lines = ctx.db.exec(
        select(TranscriptLine, FlowSession)
        .join(FlowSession, col(FlowSession.id) == TranscriptLine.session_id)
        .where(FlowSession.visit_id == visit.id)
        .order_by(col(FlowSession.started_at), col(FlowSession.id), col(TranscriptLine.seq))
    ).all()
    pages: list[list[dict[str, str]]] = [[]]
    size = 0
    for line, session in lines:
        text = line.text if line.speaker == Speaker.USER else plain(line.text)
        text = text if len(text) <= PAGE_CHARACTERS else text[:PAGE_CHARACTERS] + "…"
        if size + len(text) > PAGE_CHARACTERS and pages[-1]:
            pages.append([])
            size = 0
        pages[-1].append({"who": line.speaker.value, "flow": session.flow, "text": text})
        size += len(text)
    count = len(pages)
    return [
        Item(str(number), {"number": number, "of": count, "lines": page})
        for number, page in enumerate(pages, start=1)
        if page
    ]


def add_comment(ctx: Ctx, visit: Visit, text: str) -> None:
    """Save a comment and notify the other side of the thread at once (a reminder row due now)."""
    assert visit.id is not None and ctx.user.id is not None
    comment = CoachingComment(
        visit_id=visit.id, author_id=ctx.user.id, text=text, created_at=ctx.now
    )
    ctx.db.add(comment)
    ctx.db.flush()
    others = {visit.rep_id} | set(
        ctx.db.exec(
            select(CoachingComment.author_id).where(CoachingComment.visit_id == visit.id)
        ).all()
    )
    for user_id in sorted(others - {ctx.user.id}):
        ctx.db.add(
            Reminder(
                user_id=user_id,
                kind=ReminderKind.COMMENT,
                due_at=ctx.now,
                visit_id=visit.id,
                payload={"comment_id": comment.id},
                dedupe_key=f"comment:{comment.id}:{user_id}",
            )
        )
        ctx.notify(user_id)
