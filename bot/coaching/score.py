"""The coaching score of a debriefed visit: which rubric items were met, and the total."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coaching.facts import VisitFacts
from bot.coaching.rules import holds
from bot.playbooks.schema import ScorecardItem, ScorecardPlaybook


@dataclass(frozen=True)
class Scorecard:
    """Every rubric item with whether it was met; points out of the maximum."""

    lines: tuple[tuple[ScorecardItem, bool], ...]

    @property
    def points(self) -> int:
        """Points of the items met."""
        return sum(item.points for item, met in self.lines if met)

    @property
    def maximum(self) -> int:
        """Points of all items."""
        return sum(item.points for item, _ in self.lines)


def score(rubric: ScorecardPlaybook, facts: VisitFacts) -> Scorecard:
    """Apply the rubric: an item is met when all its conditions hold of the visit's facts."""
    values = facts.as_dict()
    return Scorecard(
        tuple((item, all(holds(test, values) for test in item.when)) for item in rubric.items)
    )
