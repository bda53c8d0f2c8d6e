"""The decision-unit checklist for an opportunity: which questions a rep cannot yet answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """A contact as the checklist sees them."""

    name: str
    role: str | None
    stance: str | None
    attending: bool
    met_before: bool
    personal_win: str | None = None  # what they want to gain personally, once known


@dataclass(frozen=True)
class Gap:
    """An unanswered checklist item (id from decision_unit.yaml) and who it concerns."""

    item: str
    names: tuple[str, ...] = ()


def gaps(
    people: Sequence[Person], roles: Sequence[str], *, criteria_known: bool = True
) -> list[Gap]:
    """Checklist items the account's people (and its purchase criteria) leave open, in
    checklist order. A key person, for the personal wins, is a decision maker or a coach."""
    found: list[Gap] = []
    deciders = [person for person in people if person.role == "decision_maker"]
    if not deciders:
        found.append(Gap("decision_maker_known"))
    elif not any(person.attending or person.met_before for person in deciders):
        found.append(Gap("decision_maker_met", tuple(person.name for person in deciders)))
    if not any(person.stance == "coach" for person in people):
        found.append(Gap("coach_known"))
    opposed = tuple(person.name for person in people if person.stance in ("blocker", "enemy"))
    if opposed:
        found.append(Gap("blockers_addressed", opposed))
    engaged = [person for person in people if person.attending or person.met_before]
    if len(engaged) <= 1:
        found.append(Gap("multi_threaded", tuple(person.name for person in engaged)))
    held = {person.role for person in people}
    missing = tuple(role for role in roles if role not in held)
    if missing:
        found.append(Gap("roles_covered", missing))
    if not criteria_known:
        found.append(Gap("criteria_known"))
    unknown = tuple(
        person.name
        for person in people
        if (person.role == "decision_maker" or person.stance == "coach")
        and not person.personal_win
    )
    if unknown:
        found.append(Gap("personal_wins_known", unknown))
    return found
