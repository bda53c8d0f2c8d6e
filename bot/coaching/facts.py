"""The facts about a debriefed visit that coaching rules in coaching.yaml may test.

The rules are data; the names and what they mean are the contract between the two, kept in the
domain vocabulary (`bot.domain.FACTS`) so the playbook loader checks them without looking up here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from bot.domain import FACTS as FACTS  # by name, what each field below means


@dataclass(frozen=True)
class VisitFacts:
    """Computed from the saved call record; see FACTS for the meaning of each."""

    situation_asked: int
    problem_asked: int
    implication_asked: int
    need_payoff_asked: int
    questions_asked: int
    outcome: str
    objective_met: str
    decision_maker_known: bool
    decision_maker_met: bool
    coach_known: bool
    attendees: int
    contacts_engaged: int
    next_step_dated: bool
    continuations_in_row: int
    visits_without_stage_move: int
    blockers: int

    def as_dict(self) -> dict[str, int | bool | str]:
        """By fact name, as the rules refer to them (all values are plain scalars)."""
        return {item.name: getattr(self, item.name) for item in fields(self)}
