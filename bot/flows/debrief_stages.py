"""/debrief's stages: did the sale move (the next step's milestone is the evidence), and rarely
the account's lifecycle.

One screen, after the people: "still at «current»" is one tap, and so is "«next» reached",
which confirms the next selling step's milestone (process.yaml). Another stage, or the
relationship as a whole (relationship.yaml `account_stages`), is one more screen that only
the rep who asks for it sees. The summary is typed on the same screen, so the fast path costs
what the summary's Skip cost before. Answers are stage ids; `bot.records` compares them with
the account on file when saving, so a stage another rep moved meanwhile is never moved twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain import Outcome, StageSubject
from bot.engine.context import Ctx, Option
from bot.engine.steps.ask import FREE_TEXT_LIMIT, free_text
from bot.errors import UserError
from bot.flows import options
from bot.flows.debrief_signals import RISKS
from bot.flows.debrief_visit import chosen_outcome
from bot.flows.people import account_context, account_of
from bot.playbooks.schema import ProcessStep
from bot.storage import repo
from bot.storage.models import StageChange, User

SAME = "same"  # the sale is where it was (or, with no stage on file, still not known)
OTHER = "other"  # another stage, or the lifecycle: a screen of its own


def _steps(ctx: Ctx) -> list[ProcessStep]:
    return list(ctx.playbooks.process.steps)


def current_sales_stage(ctx: Ctx) -> str | None:
    """The account's sales stage on file (None: a new account, or none given yet)."""
    account = account_of(ctx)
    return account.sales_stage if account else None


def _current_lifecycle(ctx: Ctx) -> str | None:
    account = account_of(ctx)
    return account.lifecycle_stage if account else None


def next_sales_step(ctx: Ctx) -> ProcessStep | None:
    """The selling step after the current one; the first with none on file; None at the last.
    After an order, the step an order reaches (the contract signed), if the sale is before it."""
    steps = _steps(ctx)
    ids = [step.id for step in steps]
    current = current_sales_stage(ctx)
    at = ids.index(current) if current in ids else -1
    if chosen_outcome(ctx) == Outcome.ORDER:
        signed = next((index for index, step in enumerate(steps) if step.reached_by_order), None)
        if signed is not None and signed > at:
            return steps[signed]
    return steps[at + 1] if at + 1 < len(steps) else None


def sale_options(ctx: Ctx) -> list[Option]:
    """Still where it was (the fast path), the next step reached, or something else."""
    current = options.label_of(options.sales_stages(ctx), current_sales_stage(ctx))
    labels = ctx.texts.label
    same = (
        labels("sale_same", ctx.language, stage=current)
        if current
        else ctx.labels("sale_not_known")
    )
    choices = [Option(SAME, same)]
    following = next_sales_step(ctx)
    if following is not None:
        stage = ctx.t(following.selling_step)
        choices.append(Option(following.id, labels("sale_next", ctx.language, stage=stage)))
    choices.append(Option(OTHER, ctx.labels("sale_other")))
    if ctx.playbooks.risks.signals:
        choices.append(Option(RISKS, ctx.labels("sale_risks")))
    return choices


def sale_context(ctx: Ctx) -> dict[str, Any]:
    """Where the sale is, the next step and its milestone, and the relationship as a whole."""
    following = next_sales_step(ctx)
    return {
        **account_context(ctx),
        "current": options.label_of(options.sales_stages(ctx), current_sales_stage(ctx)),
        "next": ctx.t(following.selling_step) if following else None,
        "milestone": ctx.t(following.milestone) if following else None,
        "lifecycle": options.label_of(options.account_stages(ctx), _current_lifecycle(ctx)),
    }


def other_stage_wanted(ctx: Ctx) -> bool:
    """The rep asked for another stage or the lifecycle."""
    return bool(ctx.get("sale") == OTHER)


def other_context(ctx: Ctx) -> dict[str, Any]:
    """The stages on file, beside the ones being picked."""
    return sale_context(ctx)


def more_summary(text: str, ctx: Ctx, so_far: list[str]) -> list[str]:
    """A summary typed beside the stage buttons, added to what was typed before."""
    entries = [*so_far, free_text(text, ctx)]
    length = len("\n".join(entries))
    if length > FREE_TEXT_LIMIT:
        raise UserError("errors/too_long", limit=FREE_TEXT_LIMIT, length=length)
    return entries


def summary_of(ctx: Ctx) -> str | None:
    """The summary typed: lines typed beside the stage buttons (or one answer, in an older
    state that asked for it on a screen of its own)."""
    given = ctx.get("summary")
    if isinstance(given, list):
        return "\n".join(str(entry) for entry in given) or None
    return given or None


@dataclass(frozen=True)
class Stages:
    """Where the sale and the lifecycle stand after the visit (None: as on file)."""

    sales: str | None = None
    evidence: str | None = None  # the milestone confirmed for the sales stage
    lifecycle: str | None = None


def stage_moves(ctx: Ctx) -> Stages:
    """The stages answered: the next step's button confirms its milestone; another stage or
    the lifecycle come from their own screen (ids no longer in the playbooks are ignored)."""
    answer = ctx.get("sale")
    steps = {step.id: step for step in _steps(ctx)}
    if answer in steps:
        return Stages(sales=answer, evidence=ctx.t(steps[answer].milestone))
    if answer != OTHER:
        return Stages()
    sales = ctx.get("sales_stage_to")
    lifecycle = ctx.get("lifecycle_to")
    known = {option.id for option in options.account_stages(ctx)}
    return Stages(
        sales=sales if sales in steps else None,
        lifecycle=lifecycle if lifecycle in known else None,
    )


def move_view(ctx: Ctx, change: StageChange, by: User | None = None) -> dict[str, Any]:
    """A move of the account's sales or lifecycle stage, as labels (the card, the feedback)."""
    stages = (
        options.sales_stages(ctx)
        if change.subject == StageSubject.SALES
        else options.account_stages(ctx)
    )
    when = change.changed_at.astimezone(ctx.zone)
    return {
        "what": ctx.labels(f"stage_subject_{change.subject.value}"),
        "from": options.label_of(stages, change.from_stage) or change.from_stage,
        "to": options.label_of(stages, change.to_stage) or change.to_stage,
        "evidence": change.evidence,
        "when": when.strftime("%Y-%m-%d"),
        "by": by.display_name if by else None,
    }


def visit_moves(ctx: Ctx, *, account_id: int, visit_id: int) -> list[dict[str, Any]]:
    """The account's stages the debrief of `visit_id` moved, for its feedback."""
    found = repo.account_stage_moves(session=ctx.db, account_id=account_id, visit_id=visit_id)
    return [move_view(ctx, change) for change, _ in reversed(found)]
