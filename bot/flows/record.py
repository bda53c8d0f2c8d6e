"""A call record as a reviewer reads it, and its comment thread; shared by /review and replies.

Every visit is loaded through `scopes.scope_visits`, so a forged id never shows another rep's or
another team's record.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from bot import scopes
from bot.coaching.record import visit_facts
from bot.coaching.score import score
from bot.domain import ReminderKind, SnapshotPhase, Speaker, SpinType
from bot.engine.flow import Ctx, Item
from bot.flows import options
from bot.storage.models import (
    Account,
    CoachingComment,
    Contact,
    Debrief,
    FlowSession,
    Reminder,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    TranscriptLine,
    User,
    Visit,
)
from bot.text import plain

PAGE_CHARACTERS = 3000


def visible_visit(ctx: Ctx, visit_id: Any) -> Visit | None:
    """The visit if the user may see it, else None."""
    if not str(visit_id).isdigit():
        return None
    visit: Visit | None = ctx.remember(
        f"visible:{visit_id}",
        lambda: ctx.db.exec(
            scopes.scope_visits(select(Visit).where(Visit.id == int(visit_id)), viewer=ctx.user)
        ).first(),
    )
    return visit


def record_view(ctx: Ctx, visit: Visit) -> dict[str, Any]:
    """Plan versus asked, outcome, people and their changes, stage moves, next step, score."""
    assert visit.id is not None
    account = ctx.db.get(Account, visit.account_id)
    rep = ctx.db.get(User, visit.rep_id)
    debrief = ctx.db.exec(select(Debrief).where(Debrief.visit_id == visit.id)).first()
    names = {guide.id.value: ctx.t(guide.name) for guide in ctx.playbooks.spin.types}
    items = ctx.db.exec(
        select(SpinItem).where(SpinItem.visit_id == visit.id).order_by(col(SpinItem.position))
    ).all()
    questions = [
        {
            "type": names[item.spin_type.value],
            "text": item.question,
            "planned": item.planned,
            "asked": item.asked,
            "answer": item.answer,
        }
        for item in sorted(items, key=lambda entry: list(SpinType).index(entry.spin_type))
    ]
    snapshots = ctx.db.exec(
        select(StakeholderSnapshot).where(StakeholderSnapshot.visit_id == visit.id)
    ).all()
    people: dict[int, dict[str, Any]] = {}
    for snapshot in snapshots:
        contact = ctx.db.get(Contact, snapshot.contact_id)
        entry = people.setdefault(
            snapshot.contact_id,
            {
                "name": contact.name if contact else "?",
                "before": None,
                "after": None,
                "attended": True,
            },
        )
        described = " · ".join(
            label
            for label in (
                options.label_of(options.roles(ctx), snapshot.buying_role),
                options.label_of(options.stances(ctx), snapshot.stance),
                options.label_of(options.contact_stages(ctx), snapshot.relationship_stage),
            )
            if label
        )
        if snapshot.phase == SnapshotPhase.PREP:
            entry["before"] = described
        else:
            entry["after"] = described
            entry["attended"] = snapshot.attended
    moves = [
        {
            "name": (
                ctx.db.get(Contact, change.contact_id).name  # type: ignore[union-attr]
                if change.contact_id
                else account.name
                if account
                else ""
            ),
            "from": options.label_of(options.contact_stages(ctx), change.from_stage),
            "to": options.label_of(options.contact_stages(ctx), change.to_stage),
            "evidence": change.evidence,
        }
        for change in ctx.db.exec(
            select(StageChange).where(StageChange.visit_id == visit.id)
        ).all()
    ]
    card = (
        score(ctx.playbooks.scorecard, visit_facts(session=ctx.db, visit=visit))
        if debrief
        else None
    )
    local = (
        visit.planned_at.astimezone(ctx.zone).strftime("%Y-%m-%d %H:%M")
        if visit.planned_at
        else "—"
    )
    return {
        "visit_id": visit.id,
        "account": account.name if account else "",
        "rep": rep.display_name if rep else "",
        "when": local,
        "best": visit.objective_best,
        "minimum": visit.objective_minimum,
        "status": ctx.labels(f"status_{visit.status.value}"),
        "outcome": ctx.labels(f"outcome_{debrief.outcome.value}") if debrief else None,
        "questions": questions,
        "people": list(people.values()),
        "moves": moves,
        "next_step": debrief.next_step if debrief else None,
        "due": debrief.next_step_due.isoformat() if debrief and debrief.next_step_due else None,
        "implied": debrief.implied_needs if debrief else None,
        "explicit": debrief.explicit_needs if debrief else None,
        "score": (
            {
                "points": card.points,
                "maximum": card.maximum,
                "lines": [{"label": ctx.t(item.label), "met": met} for item, met in card.lines],
            }
            if card
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
    """Save a comment and notify the other side of the thread at once (via the outbox)."""
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
