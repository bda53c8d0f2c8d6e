"""The visit's end against its plan: "did you get the best? the minimum? neither?" in one tap.

Where the plan set a best or a minimum commitment, the outcome's buttons start from them: the
answer `best` or `minimum` is an advance that met that objective, an order meets the best (no
commitment a visit aims for is more than an order; the minimum where the plan set only that),
and any other outcome met neither. Without an objective the four outcomes are asked as they
are and nothing is said about a plan.
/debrief and /correct ask the same way.
"""

from __future__ import annotations

from bot.domain import ObjectiveMet, Outcome
from bot.engine.context import Ctx, Option
from bot.flows import options
from bot.storage.models import Visit

# The answers that name an objective met; the other answers are outcome ids.
AIMS = (ObjectiveMet.BEST.value, ObjectiveMet.MINIMUM.value)
# An advance that met neither: an id of its own, so a plain "advance" (an answer or a button
# from before the outcome was asked against the plan) is never read as "not what was planned".
OTHER_ADVANCE = "other_advance"


def has_objective(visit: Visit | None) -> bool:
    """The plan set a best or a minimum commitment to judge the visit by."""
    return bool(visit and (visit.objective_best or visit.objective_minimum))


def outcome_choices(ctx: Ctx, visit: Visit | None) -> list[Option]:
    """The objective's commitments first (those the plan set), then the other outcomes."""
    if not has_objective(visit):
        return options.outcomes(ctx)
    assert visit is not None
    aims = [
        Option(aim, ctx.labels(f"outcome_{aim}"))
        for aim, text in zip(AIMS, (visit.objective_best, visit.objective_minimum), strict=True)
        if text
    ]
    rest = [
        Option(answer, ctx.labels(f"outcome_{label}"))
        for answer, label in (
            (Outcome.ORDER.value, "order"),
            (OTHER_ADVANCE, "other_advance"),
            (Outcome.CONTINUATION.value, "continuation"),
            (Outcome.NO_SALE.value, "no_sale"),
        )
    ]
    return [*aims, *rest]


def outcome_of(answer: str) -> Outcome:
    """The outcome an answer stands for: an objective met, or another advance, is an advance."""
    return Outcome.ADVANCE if answer in (*AIMS, OTHER_ADVANCE) else Outcome(answer)


def objective_met_of(answer: str, visit: Visit | None) -> ObjectiveMet | None:
    """How the answer stands against the plan's objective; None where the plan set none, or
    where the answer was given without it (a plain "advance" from an older screen). An order
    meets the best, or the minimum where the plan set only that."""
    if not has_objective(visit) or answer == Outcome.ADVANCE.value:
        return None
    assert visit is not None
    if answer in AIMS:
        return ObjectiveMet(answer)
    if answer == Outcome.ORDER.value:
        return ObjectiveMet.BEST if visit.objective_best else ObjectiveMet.MINIMUM
    return ObjectiveMet.NEITHER


def outcome_label(ctx: Ctx, outcome: Outcome, met: ObjectiveMet | None) -> str:
    """'Advance · 🎯 the best planned', or the outcome alone where no objective was set."""
    said = ctx.labels(f"outcome_{outcome.value}")
    return f"{said} · {ctx.labels(f'objective_{met.value}')}" if met else said


def answer_label(ctx: Ctx, outcome: Outcome, met: ObjectiveMet | None) -> str:
    """The button that gives this outcome ('🎯 Advance: the best'): the short form for a line
    that shows a value beside its correction."""
    if outcome == Outcome.ADVANCE and met in (ObjectiveMet.BEST, ObjectiveMet.MINIMUM):
        return ctx.labels(f"outcome_{met.value}")
    if outcome == Outcome.ADVANCE and met == ObjectiveMet.NEITHER:
        return ctx.labels("outcome_other_advance")
    return ctx.labels(f"outcome_{outcome.value}")
