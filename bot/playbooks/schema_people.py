"""The shape of the playbooks about what customers need and about the people who buy.

needs.yaml (three levels of need, the need funnel, purchase criteria) and people.yaml (the four
kinds of people, mapped onto the buying roles of decision_unit.yaml; personal wins). Same rules
as schema.py; button texts are `ButtonLabel`s.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from bot.playbooks.refs import RoleRef, known_ids
from bot.playbooks.schema import ButtonLabel, Few, Id, Localized, Strict, Texts

# --- needs.yaml -------------------------------------------------------------------------------


class NeedLevel(Strict):
    """Whose need it is: the business, the organisation's decision chain, or the person."""

    id: Id
    name: ButtonLabel
    what: Localized
    how_to_learn: Few


class FunnelStep(Strict):
    """A step of the need funnel, from a complaint to the criteria the customer buys by."""

    id: Id
    name: ButtonLabel
    what: Localized
    example: Localized
    next_move: Localized | None = None  # what takes it to the next step; none for the last


class CriterionCategory(Strict):
    """A kind of purchase criterion, a one-tap button; `roles` usually weigh it most."""

    id: Id
    label: ButtonLabel
    roles: Annotated[list[RoleRef], Field(min_length=1)]


class CriteriaGuide(Strict):
    """Purchase criteria: what they are, how to capture one after a visit, common kinds."""

    what: Localized
    prompts: Annotated[list[Localized], Field(min_length=2, max_length=3)]
    categories: Annotated[list[CriterionCategory], Field(min_length=1)]


class NeedsPlaybook(Strict):
    """needs.yaml: need levels, the need funnel and purchase criteria."""

    levels: Annotated[list[NeedLevel], Field(min_length=1)]
    funnel: Annotated[list[FunnelStep], Field(min_length=2)]
    criteria: CriteriaGuide


# --- people.yaml ------------------------------------------------------------------------------


class KindOfPeople(Strict):
    """How much a person can do at the account day to day, and how to treat them.

    `roles` are the buying roles whose holders are of this kind; a contact without a buying
    role is of the kind that lists none (the bystander).
    """

    id: Id
    name: ButtonLabel
    saying: Localized
    treat: ButtonLabel
    roles: list[RoleRef]
    how: Few
    against_us: Localized  # for a person of this kind whose stance is below neutral


class PersonalWin(Strict):
    """A kind of personal win, a one-tap button, with how a proposal can deliver it."""

    id: Id
    label: ButtonLabel
    what: Localized
    deliver: Localized


class PersonalWinsGuide(Strict):
    """What a contact's personal win is, how to learn it, and its common kinds."""

    what: Localized
    how_to_learn: Few
    cautions: Texts
    categories: Annotated[list[PersonalWin], Field(min_length=1)]


class PeoplePlaybook(Strict):
    """people.yaml: the four kinds of people and personal wins."""

    kinds: Annotated[list[KindOfPeople], Field(min_length=1)]
    personal_wins: PersonalWinsGuide

    @field_validator("kinds")
    @classmethod
    def _each_role_of_one_kind(
        cls, kinds: list[KindOfPeople], info: ValidationInfo
    ) -> list[KindOfPeople]:
        """A contact's kind follows from the buying role on file, so the mapping is total."""
        problems = []
        without = [kind.id for kind in kinds if not kind.roles]
        if len(without) > 1:
            problems.append(f"only one kind may list no roles; {', '.join(without)} do")
        for role in known_ids(info.context, "roles") or ():
            holders = [kind.id for kind in kinds if role in kind.roles]
            if len(holders) != 1:
                found = ", ".join(holders) or "none"
                problems.append(
                    f"buying role {role} of decision_unit.yaml must belong to exactly one kind "
                    f"(found: {found})"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return kinds
