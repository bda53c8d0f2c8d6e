"""The shape of the playbooks about one account as a whole, as pydantic models.

account_plan.yaml (the five analysis views), competition.yaml (strategies, the table that
chooses one, barriers to switching), risks.yaml (risk signals) and segments.yaml (buying
orientations, segment value propositions). Same rules as schema.py: every text in both
languages, no unknown keys; button texts are `ButtonLabel`s, short enough for a phone.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from bot.playbooks.refs import AccountStageRef, ContactStageRef, SalesStageRef
from bot.playbooks.schema import ButtonLabel, Few, Id, Localized, Strict

# --- account_plan.yaml ------------------------------------------------------------------------


class PlanView(Strict):
    """One angle of the account plan; the rep's answer is one short text per account."""

    id: Id
    name: ButtonLabel
    purpose: Localized
    prompts: Few
    example: Localized


class AccountPlanPlaybook(Strict):
    """account_plan.yaml: the five views a rep fills in for an account over time."""

    intro: Localized
    views: Annotated[list[PlanView], Field(min_length=1)]


# --- competition.yaml -------------------------------------------------------------------------


class AccountType(Strict):
    """What an account buys from its suppliers: it decides how hard a position is to take."""

    id: Id
    name: ButtonLabel
    description: Localized
    signs: Localized


class Position(Strict):
    """Where we stand at the account against the competition."""

    id: Id
    name: ButtonLabel
    description: Localized


class Strategy(Strict):
    """A competitive strategy; `account_types` and `positions` are where `choose` picks it."""

    id: Id
    name: ButtonLabel
    what: Localized
    when: Localized
    account_types: Annotated[list[Id], Field(min_length=1)]
    positions: Annotated[list[Id], Field(min_length=1)]
    actions: Few


class Barrier(Strict):
    """A barrier that raises a competitor's cost of replacing us, and when to build it."""

    id: Id
    name: ButtonLabel
    what: Localized
    actions: Few
    contact_stages: Annotated[list[ContactStageRef], Field(min_length=1)]
    account_stages: Annotated[list[AccountStageRef], Field(min_length=1)]
    sales_stages: Annotated[list[SalesStageRef], Field(min_length=1)]


class CompetitionPlaybook(Strict):
    """competition.yaml: account types, our positions, four strategies, the table, barriers.

    `choose` maps account type, then our position, to a strategy id; it must name one for every
    pair, and agree with what each strategy says about where it fits.
    """

    account_types: Annotated[list[AccountType], Field(min_length=1)]
    positions: Annotated[list[Position], Field(min_length=1)]
    strategies: Annotated[list[Strategy], Field(min_length=1)]
    choose: dict[Id, dict[Id, Id]]
    switching_cost: Localized
    barriers: Annotated[list[Barrier], Field(min_length=1)]

    @field_validator("choose")
    @classmethod
    def _complete_and_consistent(
        cls, choose: dict[str, dict[str, str]], info: ValidationInfo
    ) -> dict[str, dict[str, str]]:
        """Checked here, on `choose`, so a problem points at the table's line."""
        types = [kind.id for kind in info.data.get("account_types", [])]
        positions = [position.id for position in info.data.get("positions", [])]
        strategies: list[Strategy] = info.data.get("strategies", [])
        if not types or not positions or not strategies:
            return choose  # an earlier section is broken and reported on its own
        problems = _gaps(choose, types, positions, [strategy.id for strategy in strategies])
        # Whether the strategies agree with the table means little while the table has holes.
        problems = problems or _disagreements(choose, strategies)
        if problems:
            raise ValueError("; ".join(problems))
        return choose


def _gaps(
    choose: dict[str, dict[str, str]],
    types: list[str],
    positions: list[str],
    strategies: list[str],
) -> list[str]:
    """Every pair of account type and position without a strategy, and every unknown id."""
    problems = [f"no row for account type {kind}" for kind in types if kind not in choose]
    for kind, row in choose.items():
        if kind not in types:
            problems.append(f"{kind} is not an account type ({', '.join(types)})")
            continue
        problems += [f"{kind}: no strategy for {pos}" for pos in positions if pos not in row]
        for position, strategy in row.items():
            if position not in positions:
                problems.append(f"{kind}: {position} is not a position ({', '.join(positions)})")
            elif strategy not in strategies:
                problems.append(
                    f"{kind}.{position}: {strategy} is not a strategy ({', '.join(strategies)})"
                )
    return problems


def _disagreements(choose: dict[str, dict[str, str]], strategies: list[Strategy]) -> list[str]:
    """Each strategy must list exactly the account types and positions the table picks it for."""
    problems = []
    for strategy in strategies:
        cells = [
            (kind, pos)
            for kind, row in choose.items()
            for pos, chosen in row.items()
            if chosen == strategy.id
        ]
        types = list(dict.fromkeys(kind for kind, _ in cells))
        positions = list(dict.fromkeys(pos for _, pos in cells))
        if set(types) != set(strategy.account_types) or set(positions) != set(strategy.positions):
            problems.append(
                f"{strategy.id} is chosen for account types [{', '.join(types)}] and positions "
                f"[{', '.join(positions)}], but strategies lists "
                f"[{', '.join(strategy.account_types)}] and [{', '.join(strategy.positions)}]"
            )
    return problems


# --- risks.yaml -------------------------------------------------------------------------------


class RiskSignal(Strict):
    """A warning sign at an account: a button to report it and the response a manager sees."""

    id: Id
    label: ButtonLabel
    signs: Annotated[list[Localized], Field(min_length=1, max_length=3)]
    response: Annotated[list[Localized], Field(min_length=2, max_length=3)]


class RisksPlaybook(Strict):
    """risks.yaml: the risk signals a rep can report on an account."""

    signals: Annotated[list[RiskSignal], Field(min_length=1)]


# --- segments.yaml ----------------------------------------------------------------------------

Hints = Annotated[list[Localized], Field(min_length=2, max_length=3)]


class Proposition(Strict):
    """A segment value proposition: who such an account is, what we promise, how to visit."""

    id: Id
    name: ButtonLabel
    what_matters: Localized
    promise: Localized
    hints: Hints


class Orientation(Strict):
    """What an account puts first when it buys; `share` is its part of market value, in %."""

    id: Id
    name: ButtonLabel
    share: Annotated[int, Field(ge=1, le=100)] | None = None
    what_matters: Localized
    hints: Hints
    propositions: Annotated[list[Id], Field(min_length=1)]


class SegmentsPlaybook(Strict):
    """segments.yaml: buying orientations and the value propositions that answer them."""

    propositions: Annotated[list[Proposition], Field(min_length=1)]
    orientation_advice: Localized
    orientations: Annotated[list[Orientation], Field(min_length=1)]

    @field_validator("orientations")
    @classmethod
    def _shares_and_propositions(
        cls, orientations: list[Orientation], info: ValidationInfo
    ) -> list[Orientation]:
        problems = []
        shares = [item.share for item in orientations if item.share is not None]
        if len(shares) == len(orientations) and sum(shares) != 100:
            problems.append(f"shares add up to {sum(shares)}, not 100")
        known = [proposition.id for proposition in info.data.get("propositions", [])]
        if known:
            problems += [
                f"{item.id}: {proposition} is not a proposition ({', '.join(known)})"
                for item in orientations
                for proposition in item.propositions
                if proposition not in known
            ]
        if problems:
            raise ValueError("; ".join(problems))
        return orientations
