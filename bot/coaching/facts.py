"""The facts about a debriefed visit that coaching rules in coaching.yaml may test.

The rules are data; these names and what they mean are the contract between the two.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

FACTS = {
    "situation_asked": "situation questions asked",
    "problem_asked": "problem questions asked",
    "implication_asked": "implication questions asked",
    "need_payoff_asked": "need-payoff questions asked",
    "questions_asked": "all questions asked",
    "outcome": "advance, continuation, order or no_sale",
    "decision_maker_known": "someone at the account holds the decision maker role",
    "decision_maker_met": "a decision maker attended this visit",
    "coach_known": "someone at the account has the coach stance",
    "attendees": "people who attended this visit",
    "contacts_engaged": "people at the account who attended any debriefed visit",
    "next_step_dated": "the next step has a due date",
    "continuations_in_row": "continuation outcomes in a row at this account, this one included",
    "visits_without_stage_move": "debriefed visits in a row at the account with no stage move",
    "blockers": "people at the account with the blocker or enemy stance",
}


@dataclass(frozen=True)
class VisitFacts:
    """Computed from the saved call record; see FACTS for the meaning of each."""

    situation_asked: int
    problem_asked: int
    implication_asked: int
    need_payoff_asked: int
    questions_asked: int
    outcome: str
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
