"""The end of /debrief: the answers as a draft, saved by `bot.records`, then the coaching on it.

The next step is needed when the call moved on or is to continue; its date is asked once there
is one. The feedback reads the saved record: its facts, the rules that fired, the score.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import records
from bot.coaching.record import facts_of
from bot.coaching.rules import feedback
from bot.coaching.score import score
from bot.domain import Outcome
from bot.engine.context import Ctx
from bot.engine.steps.ask import first_line_and_rest
from bot.flows.debrief_people import attendee_draft, attendee_list, newcomer_drafts
from bot.flows.debrief_signals import heard_criteria, heard_risks
from bot.flows.debrief_stages import stage_moves, summary_of, visit_moves
from bot.flows.debrief_visit import asked_items, chosen_outcome
from bot.flows.objective import objective_met_of, outcome_label, outcome_of
from bot.flows.own_questions import question_drafts
from bot.flows.people import account_of, chosen_visit
from bot.storage.drafts import AccountDraft, AskedQuestion, DebriefDraft
from bot.storage.models import Account, Debrief, Visit

# The "Saved" message fits a phone's screen: what to work on first, then what went well.
SHOWN_GAPS = 2
SHOWN_COACHING = 3


def next_step_optional(ctx: Ctx) -> bool:
    """Only an advance or a continuation must say what happens next."""
    return chosen_outcome(ctx) not in (Outcome.ADVANCE, Outcome.CONTINUATION)


def parse_needs(text: str, ctx: Ctx) -> dict[str, str | None]:
    """Implied needs on the first line; a second line, if any, holds the explicit ones."""
    implied, explicit = first_line_and_rest(text, ctx)
    return {"implied": implied, "explicit": explicit}


def needs(ctx: Ctx) -> tuple[str | None, str | None]:
    """Implied and explicit needs heard (a state from before asked them one at a time)."""
    given = ctx.get("needs")
    if isinstance(given, dict):
        return given.get("implied"), given.get("explicit")
    return ctx.get("implied_needs"), ctx.get("explicit_needs")


def has_next_step(ctx: Ctx) -> bool:
    """A next step was given, so its date is asked."""
    return bool(ctx.get("next_step"))


def save_call_record(ctx: Ctx) -> dict[str, Any]:
    """Save the call record; the feedback is about what was saved."""
    debrief = records.save_debrief(
        session=ctx.db,
        draft=debrief_draft(ctx),
        rep=ctx.user,
        now=ctx.now,
        flow_session_id=ctx.flow_session_id,
    )
    return feedback_view(ctx, debrief)


def debrief_draft(ctx: Ctx) -> DebriefDraft:
    """Everything answered: the visit (or where and with whom), questions, people, next step."""
    visit = chosen_visit(ctx)
    attendees = tuple(attendee_draft(ctx, item) for item in attendee_list(ctx))
    due = ctx.get("next_step_due")
    stages = stage_moves(ctx)
    return DebriefDraft(
        outcome=outcome_of(ctx.get("outcome")),
        objective_met=objective_met_of(ctx.get("outcome"), visit),
        visit_id=visit.id if visit else None,
        account=None if visit else _unplanned_at(ctx),
        attendees=attendees,
        asked=tuple(
            AskedQuestion(int(item.key), ctx.of("question", item.key, "answer"))
            for item in asked_items(ctx)
        ),
        other_questions=tuple(question_drafts(ctx, "other_questions", "other_types")),
        newcomers=newcomer_drafts(ctx, attendees),
        summary=summary_of(ctx),
        implied_needs=needs(ctx)[0],
        explicit_needs=needs(ctx)[1],
        next_step=ctx.get("next_step"),
        next_step_due=date.fromisoformat(due["day"]) if due else None,
        sales_stage=stages.sales,
        sales_evidence=stages.evidence,
        lifecycle_stage=stages.lifecycle,
        risks=heard_risks(ctx),
        criteria=heard_criteria(ctx),
    )


def _unplanned_at(ctx: Ctx) -> AccountDraft:
    """Where a visit without a plan was: the account picked, or the name typed for a new one."""
    account = account_of(ctx)
    if account is not None:
        return AccountDraft(account_id=account.id, name=account.name)
    return AccountDraft(name=ctx.get("account")["new"])


def feedback_view(ctx: Ctx, debrief: Debrief) -> dict[str, Any]:
    """The saved record in brief, and the coaching that fired for it."""
    visit = ctx.db.get(Visit, debrief.visit_id)
    assert visit is not None
    account = ctx.db.get(Account, visit.account_id)
    assert account is not None
    facts = facts_of(session=ctx.db, visit=visit, debrief=debrief)
    fired = feedback(ctx.playbooks.coaching, facts)
    card = score(ctx.playbooks.scorecard, facts)
    gaps = [rule for rule in fired if rule.kind == "gap"][:SHOWN_GAPS]
    strengths = [rule for rule in fired if rule.kind == "strength"]
    return {
        "score": {
            "points": card.points,
            "maximum": card.maximum,
            "missing": [ctx.t(item.label) for item, met in card.lines if not met],
        },
        "account": account.name,
        "outcome": outcome_label(ctx, debrief.outcome, debrief.objective_met),
        "asked": facts.questions_asked,
        "next_step": ctx.get("next_step"),
        "due": (ctx.get("next_step_due") or {}).get("day"),
        "moves": visit_moves(ctx, account_id=account.id or 0, visit_id=visit.id or 0),
        "strengths": [
            ctx.t(rule.message) for rule in strengths[: max(1, SHOWN_COACHING - len(gaps))]
        ],
        "gaps": [
            {"message": ctx.t(rule.message), "action": ctx.t(rule.action) if rule.action else None}
            for rule in gaps
        ],
        "visit_id": visit.id,
    }
