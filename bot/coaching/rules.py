"""Evaluate coaching.yaml against a visit's facts: which strengths and gaps apply."""

from __future__ import annotations

from bot.coaching.facts import VisitFacts
from bot.playbooks.schema import CoachingPlaybook, CoachingRule, Condition


def holds(condition: Condition, facts: dict[str, int | bool | str]) -> bool:
    """Whether one condition is true of the facts."""
    value = facts[condition.fact]
    if condition.equals is not None:
        return value == condition.equals
    if condition.one_of is not None:
        return str(value) in condition.one_of
    number = int(value) if not isinstance(value, str) else 0
    if condition.at_least is not None:
        return number >= condition.at_least
    assert condition.at_most is not None
    return number <= condition.at_most


def feedback(playbook: CoachingPlaybook, facts: VisitFacts) -> list[CoachingRule]:
    """The rules whose every condition holds, strengths first, in playbook order."""
    values = facts.as_dict()
    fired = [rule for rule in playbook.rules if all(holds(test, values) for test in rule.when)]
    return sorted(fired, key=lambda rule: rule.kind != "strength")
