"""A call record as a reviewer reads it, and its comment thread; shared by /review and replies.

Every visit is loaded through `repo.visible_visit`, which applies `scopes.scope_visits`: a forged
id never shows another rep's or another team's record. Queries live in `bot.storage.repo`, the
comment and its reminders are written by `bot.records`; this module shapes them for templates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import records
from bot.domain import DebriefField, ObjectiveMet, Outcome, Speaker, SpinType, StageSubject
from bot.engine.context import Ctx, Item
from bot.engine.pages import PHONE_COLUMNS, join_rows, screen_lines, screen_rows
from bot.flows import options
from bot.flows.objective import outcome_label
from bot.flows.people import is_row_id
from bot.storage import repo
from bot.storage.models import Visit
from bot.text import cut, plain
from bot.visit_records import record_of

TRANSCRIPT_PAGE_LINES = 19  # a page of the transcript below its title, on a phone
TRANSCRIPT_MARK_COLUMNS = 5  # "👤 " and, where a message goes on, "…" and the spaces carried
PEOPLE_LINES = 5  # lines of people on the record's own screen; everyone is behind '👥 People'
PEOPLE_PAGE_LINES = 17  # a page of people below its title, on a phone
QUESTION_PAGE_LINES = 17  # a page of questions below its title (two lines), on a phone


def _move(ctx: Ctx, move: dict[str, Any], person: str) -> dict[str, Any]:
    """A stage change in labels: a person's (by name), or the account's sales or lifecycle."""
    subject = StageSubject(move["subject"])
    stages = {
        StageSubject.CONTACT: options.contact_stages,
        StageSubject.ACCOUNT: options.account_stages,
        StageSubject.SALES: options.sales_stages,
    }[subject](ctx)
    return {
        "name": person
        if subject == StageSubject.CONTACT
        else ctx.labels(f"stage_subject_{subject.value}"),
        "from": options.label_of(stages, move["from_stage"]),
        "to": options.label_of(stages, move["to_stage"]),
        "evidence": move["evidence"],
    }


def visible_visit(ctx: Ctx, visit_id: Any) -> Visit | None:
    """The visit if the user may see it, else None."""
    if not is_row_id(str(visit_id)):
        return None
    visit: Visit | None = ctx.remember(
        f"visible:{visit_id}",
        lambda: repo.visible_visit(session=ctx.db, viewer=ctx.user, visit_id=int(visit_id)),
    )
    return visit


def record_view(ctx: Ctx, visit: Visit) -> dict[str, Any]:
    """The export record of the visit, in labels: plan vs asked, people, moves, score."""
    data = record_of(session=ctx.db, playbooks=ctx.playbooks, visit=visit, transcripts=False)
    names = {guide.id.value: ctx.t(guide.name) for guide in ctx.playbooks.spin.types}
    order = list(SpinType)

    def labelled(phase: dict[str, Any] | None) -> tuple[str | None, ...]:
        if phase is None:
            return (None, None, None)
        return (
            options.label_of(options.roles(ctx), phase["buying_role"]),
            options.label_of(options.stances(ctx), phase["stance"]),
            options.label_of(options.contact_stages(ctx), phase["relationship_stage"]),
        )

    def joined(labels: tuple[str | None, ...]) -> str | None:
        return " · ".join(label for label in labels if label) or None

    def person_now(person: dict[str, Any]) -> dict[str, Any]:
        """Where the person stands after the visit, and only what changed from before it."""
        before, after = labelled(person["prep"]), labelled(person["debrief"])
        now = tuple(new or old for old, new in zip(before, after, strict=True))
        was = tuple(
            old if old and new and old != new else None
            for old, new in zip(before, after, strict=True)
        )
        return {
            "name": person["name"],
            "now": joined(now),
            "was": joined(was),
            "attended": (person["debrief"] or {}).get("attended", True),
        }

    people_names = {person["contact_id"]: person["name"] for person in data["attendees"]}
    moves = [
        (
            move["contact_id"],
            _move(ctx, move, people_names.get(move["contact_id"], data["account"]["name"])),
        )
        for move in data["stage_changes"]
    ]
    people = [
        person_now(person) | {"moves": [m for c, m in moves if c == person["contact_id"]]}
        for person in data["attendees"]
    ]
    shown = _people_shown(people)
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
        "outcome": outcome_label(
            ctx,
            Outcome(debrief["outcome"]),
            ObjectiveMet(debrief["objective_met"]) if debrief["objective_met"] else None,
        )
        if debrief
        else None,
        "questions": [
            {
                "type": names[item["type"]],
                # the rep's type won over a different reading: the manager sees both
                "read": names.get(item["read_type"] or "")
                if item["typed_by"] == "rep" and item["read_type"] not in (None, item["type"])
                else None,
                "text": item["question"],
                "planned": item["planned"],
                "asked": item["asked"],
                "answer": item["answer"],
            }
            for item in sorted(data["spin_items"], key=lambda entry: order.index(entry["type"]))
        ],
        "people": people,
        "people_shown": shown,
        "people_more": len(people) - len(shown),
        "moves": [move for contact, move in moves if contact not in people_names],
        "summary": debrief["summary"] if debrief else None,
        "next_step": debrief["next_step"] if debrief else None,
        "due": debrief["next_step_due"] if debrief else None,
        "step_done": _step_done(ctx, debrief),
        "corrected": _corrected(ctx, debrief),
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
                "missing": [
                    items.get(line["id"], line["id"])
                    for line in data["score"]["items"]
                    if not line["met"]
                ],
            }
            if data["score"]
            else None
        ),
        "asked_counts": _asked_counts(data["spin_items"]),
        "comments": comments(ctx, visit),
        "risks": risks_heard(ctx, visit),
    }


def risks_heard(ctx: Ctx, visit: Visit) -> list[dict[str, Any]]:
    """The risk signals heard at the visit, each with what the playbook says to do."""
    signals = {signal.id: signal for signal in ctx.playbooks.risks.signals}
    return [
        {
            "label": ctx.t(signals[risk].label),
            "response": [ctx.t(text) for text in signals[risk].response],
        }
        for risk in repo.visit_risks(session=ctx.db, visit_id=visit.id or 0)
        if risk in signals
    ]


def _people_shown(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The people the record itself shows, in PEOPLE_LINES of the screen: who changed, moved
    or stayed away first; the rest are one tap away ('👥 People'), so a visit with ten people
    stays one screen."""
    if sum(_person_lines(p) for p in people) <= PEOPLE_LINES + 1:  # no '+N more' line
        return people
    changed = [p for p in people if p["was"] or p["moves"] or not p["attended"]]
    shown: list[dict[str, Any]] = []
    used = 0
    for person in changed + [p for p in people if p not in changed]:
        if shown and used + _person_lines(person) > PEOPLE_LINES:
            break
        shown.append(person)
        used += _person_lines(person)
    return [p for p in people if p in shown]


def _person_lines(person: dict[str, Any]) -> int:
    """About how many screen lines a person takes (the words around are the English ones)."""
    lines = screen_lines(f"👤 {person['name']}: {person['now']} (was: {person['was']})")
    return lines + sum(
        screen_lines(f"📈 {m['name']}: {m['from']} → {m['to']} ({m['evidence']})")
        for m in person["moves"]
    )


def attendee_pages(people: list[dict[str, Any]]) -> list[Item]:
    """Everyone at the visit (and their stage moves), in pages of a phone's screen."""
    pages: list[list[dict[str, Any]]] = [[]]
    used = 0
    for person in people:
        size = _person_lines(person)
        if pages[-1] and used + size > PEOPLE_PAGE_LINES:
            pages.append([])
            used = 0
        pages[-1].append(person)
        used += size
    return [
        Item(str(number), {"number": number, "of": len(pages), "people": page})
        for number, page in enumerate(pages, start=1)
    ]


def comments(ctx: Ctx, visit: Visit) -> list[dict[str, Any]]:
    """The thread, oldest first."""
    assert visit.id is not None
    thread = repo.visit_comments(session=ctx.db, visit_id=visit.id)
    return [
        {
            "author": author.display_name,
            "text": comment.text,
            "when": comment.created_at.astimezone(ctx.zone).strftime("%m-%d %H:%M"),
        }
        for comment, author in thread
    ]


def _asked_counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """Planned, asked of them, and asked beyond the plan: the record's questions in a line."""
    planned = [item for item in items if item["planned"]]
    return {
        "planned": len(planned),
        "asked": sum(1 for item in planned if item["asked"]),
        "unplanned": len(items) - len(planned),
    }


def question_pages(questions: list[dict[str, Any]]) -> list[Item]:
    """The record's questions (and answers) in pages of a phone's screen, read apart from the
    record so that the record itself stays one screen."""
    pages: list[list[dict[str, Any]]] = [[]]
    used = 0
    for question in questions:
        read = f" (the coach read: {question['read']})" if question["read"] else ""
        size = screen_lines(f"✓ {question['type']}: {question['text']}{read}")
        if question["answer"]:
            size += screen_lines(f"   → {question['answer']}")
        if pages[-1] and used + size > QUESTION_PAGE_LINES:
            pages.append([])
            used = 0
        pages[-1].append(question)
        used += size
    count = len(pages)
    return [
        Item(str(number), {"number": number, "of": count, "questions": page})
        for number, page in enumerate(pages, start=1)
        if page
    ]


def transcript_pages(ctx: Ctx, visit: Visit) -> list[Item]:
    """The prep and debrief transcripts of the visit, in pages of a phone's screen (lines, not
    characters: a Chinese character is two columns). A message longer than a page goes on over
    the next pages, marked "…" where it goes on, so nothing of it is lost."""
    assert visit.id is not None
    pages: list[list[dict[str, Any]]] = [[]]
    used = 0
    for line, session in repo.visit_transcript(session=ctx.db, visit_id=visit.id):
        text = line.text if line.speaker == Speaker.USER else plain(line.text)
        rows = screen_rows(text, PHONE_COLUMNS - TRANSCRIPT_MARK_COLUMNS)
        if pages[-1] and used + len(rows) > TRANSCRIPT_PAGE_LINES:
            pages.append([])
            used = 0
        continued, carried = False, ""
        while rows:
            if used == TRANSCRIPT_PAGE_LINES:
                pages.append([])
                used = 0
            piece, rows = (
                rows[: TRANSCRIPT_PAGE_LINES - used],
                rows[TRANSCRIPT_PAGE_LINES - used :],
            )
            text = carried + join_rows(piece)
            kept = text.rstrip(" ") if rows else text  # a page's last spaces would not be seen
            carried = text[len(kept) :]
            pages[-1].append(
                {
                    "who": line.speaker.value,
                    "flow": session.flow,
                    "text": kept,
                    "continued": continued,
                }
            )
            used += len(piece)
            continued = True
    count = len(pages)
    return [
        Item(str(number), {"number": number, "of": count, "lines": page})
        for number, page in enumerate(pages, start=1)
        if page
    ]


def add_comment(ctx: Ctx, visit: Visit, text: str) -> None:
    """Save a comment (`records.add_comment`) and have the other side of the thread told now."""
    posted = records.add_comment(
        session=ctx.db, visit=visit, author=ctx.user, text=text, now=ctx.now
    )
    for user_id in posted.recipients:
        ctx.notify(user_id)


def _step_done(ctx: Ctx, debrief: dict[str, Any] | None) -> dict[str, str] | None:
    """When (in the reader's time) and by whom the next step was marked done, if it was."""
    if not debrief or not debrief.get("next_step_done_at"):
        return None
    when = datetime.fromisoformat(debrief["next_step_done_at"]).astimezone(ctx.zone)
    by = debrief.get("next_step_done_by") or {}
    return {"when": when.strftime("%Y-%m-%d %H:%M"), "by": by.get("name", "")}


CORRECTED_SHOWN = 200  # characters of a corrected text's first value in the record


def _corrected(ctx: Ctx, debrief: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Per corrected field: what was first saved, how many corrections, the latest by whom
    and when (in the reader's time); the record's own lines show the current values."""
    shown: dict[str, dict[str, Any]] = {}
    for correction in (debrief or {}).get("corrections", []):
        field = correction["field"]
        when = datetime.fromisoformat(correction["corrected_at"]).astimezone(ctx.zone)
        first = shown.setdefault(
            field,
            {
                "field": ctx.labels(f"field_{field}"),
                "was": _first_value(ctx, field, correction["from"]),
                "first": correction["from"],
                "count": 0,
            },
        )
        first.update(
            count=first["count"] + 1,
            by=correction["corrected_by"]["name"],
            when=when.strftime("%m-%d %H:%M"),
        )
    judged = shown.get(DebriefField.OBJECTIVE_MET.value)
    if judged and DebriefField.OUTCOME.value in shown:  # one line: 'was: Advance · 🎯 the best'
        shown.pop(DebriefField.OBJECTIVE_MET.value)
        if judged["first"]:  # saved before the plan was asked about: the outcome alone
            shown[DebriefField.OUTCOME.value]["was"] += f" · {judged['was']}"
    return shown


def _first_value(ctx: Ctx, field: str, value: str | None) -> str:
    """A value as first saved: the outcome's label, the day, the words (cut); '—' if none."""
    if not value:
        return "—"
    if field == DebriefField.OUTCOME:
        return ctx.labels(f"outcome_{value}")
    if field == DebriefField.OBJECTIVE_MET:
        return ctx.labels(f"objective_{value}")
    text = " ".join(value.split())
    return cut(text, CORRECTED_SHOWN)
