"""The shape of each playbook file, as pydantic models.

Every user-facing string is a `Localized` pair, so a missing translation is a validation error
at start-up, not a blank message in front of a rep. Unknown keys are refused, which catches
typos such as `acitons:` that would otherwise silently drop content.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.domain import SpinType

Language = Literal["zh", "en"]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    """Base for playbook models: no unknown keys, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """One piece of text in both languages."""

    zh: NonEmpty
    en: NonEmpty

    def get(self, language: Language) -> str:
        """The text in `language`."""
        return self.zh if language == "zh" else self.en


Texts = Annotated[list[Localized], Field(min_length=1)]
# A few lines a rep reads on a phone: prompts, actions, hints. Bounded so a screen stays short.
Few = Annotated[list[Localized], Field(min_length=2, max_length=4)]


class ButtonLabel(Localized):
    """Text that goes on a one-tap button: short enough for two buttons side by side."""

    zh: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10)]
    en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class Named(Strict):
    """Anything a rep picks from a list: a stable id and a label."""

    id: Id
    name: Localized


# --- spin.yaml --------------------------------------------------------------------------------


class SpinTypeGuide(Strict):
    """What one SPIN question type is for and how to use it well."""

    id: SpinType
    name: Localized
    purpose: Localized
    when_to_use: Localized
    advice: Texts
    example: Localized


class BankQuestion(Strict):
    """A ready-made question, tagged so it is proposed for the right person and moment."""

    id: Id
    type: SpinType
    roles: Annotated[list[Id], Field(min_length=1)]
    contact_stages: Annotated[list[Id], Field(min_length=1)]
    sales_stages: Annotated[list[Id], Field(min_length=1)]
    text: Localized


class WorksheetSection(Strict):
    """One part of the planning worksheet: what to write for one question type."""

    type: SpinType
    prompt: Localized


class WorksheetProblem(Strict):
    """A problem we solve and competitors cannot, with the questions that develop it."""

    id: Id
    problem: Localized
    implication: Localized
    need_payoff: Localized


class Worksheet(Strict):
    """The SPIN planning worksheet: at least `min_problems` problems, each fully developed."""

    intro: Localized
    min_problems: Annotated[int, Field(ge=3)]
    sections: Annotated[list[WorksheetSection], Field(min_length=4)]
    examples: list[WorksheetProblem]
    cautions: Texts

    @model_validator(mode="after")
    def _enough_examples(self) -> Worksheet:
        if len(self.examples) < self.min_problems:
            raise ValueError(
                f"examples: {len(self.examples)} given, min_problems asks for {self.min_problems}"
            )
        return self


class SpinPlaybook(Strict):
    """spin.yaml: the four question types, the question bank and the planning worksheet."""

    types: list[SpinTypeGuide]
    questions: list[BankQuestion]
    worksheet: Worksheet

    @model_validator(mode="after")
    def _all_four_types_once(self) -> SpinPlaybook:
        given = [guide.id for guide in self.types]
        if sorted(given) != sorted(SpinType):
            expected = ", ".join(SpinType)
            raise ValueError(f"types: must describe each of {expected} exactly once")
        return self


# --- decision_unit.yaml -----------------------------------------------------------------------


class BuyingRole(Named):
    """A role in the customer's buying centre and how to work with whoever holds it."""

    task: Localized
    duty: Localized
    concerns: Localized
    ask: Texts
    win: Texts


class Stance(Named):
    """Where a person stands towards us; `support` orders stances from enemy to coach."""

    support: Annotated[int, Field(ge=-2, le=2)]
    description: Localized
    approach: Localized


class InfluenceLevel(Named):
    """How much weight a person's view carries in the decision."""

    description: Localized


class CoachGuide(Strict):
    """The inside coach: someone at the customer who guides us through the sale."""

    name: Localized
    what_they_do: Texts
    good_candidates: Texts
    how_to_develop: Texts
    warnings: Texts


class ChecklistItem(Strict):
    """A question a rep must be able to answer for every opportunity, with advice for a gap."""

    id: Id
    question: Localized
    advice: Localized


class DecisionUnitPlaybook(Strict):
    """decision_unit.yaml: buying roles, the coach, stances, influence and the checklist."""

    roles: Annotated[list[BuyingRole], Field(min_length=1)]
    coach: CoachGuide
    stances: Annotated[list[Stance], Field(min_length=1)]
    influence: Annotated[list[InfluenceLevel], Field(min_length=1)]
    checklist: Annotated[list[ChecklistItem], Field(min_length=1)]


# --- relationship.yaml ------------------------------------------------------------------------


class RelationshipStage(Named):
    """One rung of a relationship ladder and what it takes to hold and climb it."""

    summary: Localized
    entry_evidence: Texts
    goals: Texts
    actions: Texts
    warnings: Texts


class AccountStage(RelationshipStage):
    """A stage of the whole account relationship, which also has a typical time span."""

    span: Localized


class RelationshipPlaybook(Strict):
    """relationship.yaml: the contact ladder and the account lifecycle, in order."""

    contact_stages: Annotated[list[RelationshipStage], Field(min_length=2)]
    account_stages: Annotated[list[AccountStage], Field(min_length=2)]


# --- accounts.yaml ----------------------------------------------------------------------------


class Tier(Named):
    """An account tier: who belongs in it and how much attention it gets."""

    criteria: Texts
    cadence: Localized
    strategy: Texts
    # Team figures call an account of this tier stalled after this long without a visit;
    # None for a tier visited only when an opportunity arises.
    visit_within_days: Annotated[int, Field(ge=1)] | None = None


class Stalled(Strict):
    """When team figures call an account stalled."""

    continuations_in_row: Annotated[int, Field(ge=1)]
    days_without_visit: Annotated[int, Field(ge=1)]  # for accounts not yet tiered


class AccountsPlaybook(Strict):
    """accounts.yaml: how accounts are tiered, the tiers, and when an account has stalled."""

    dimensions: Texts
    tiers: Annotated[list[Tier], Field(min_length=1)]
    stalled: Stalled


# --- process.yaml -----------------------------------------------------------------------------


class ProcessStep(Strict):
    """A buying step of the customer paired with our selling step; its id is the sales stage."""

    id: Id
    buying_step: Localized
    selling_step: Localized
    milestone: Localized
    actions: Texts
    # True for the steps after the deal is won: the account is no longer an open opportunity.
    closes_opportunity: bool = False
    # True for the one step whose milestone an order is (the contract signed): a debrief that
    # ends in an order proposes it as the stage reached.
    reached_by_order: bool = False


class ProcessPlaybook(Strict):
    """process.yaml: the six-step buying process mapped to the six selling steps."""

    steps: Annotated[list[ProcessStep], Field(min_length=1)]

    @field_validator("steps")
    @classmethod
    def _one_step_reached_by_an_order(cls, steps: list[ProcessStep]) -> list[ProcessStep]:
        marked = [step.id for step in steps if step.reached_by_order]
        if len(marked) > 1:
            raise ValueError(f"reached_by_order on {', '.join(marked)}; at most one step")
        return steps


# --- coaching.yaml ----------------------------------------------------------------------------


class Condition(Strict):
    """One test on a fact of a debriefed visit; a rule fires when all its conditions hold."""

    fact: Id
    equals: int | bool | str | None = None
    at_least: int | None = None
    at_most: int | None = None
    one_of: list[str] | None = None

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        tests = [self.equals, self.at_least, self.at_most, self.one_of]
        if sum(test is not None for test in tests) != 1:
            raise ValueError("give exactly one of equals, at_least, at_most, one_of")
        return self


class CoachingRule(Strict):
    """Feedback after a debrief: a strength to repeat or a gap with the action to close it."""

    id: Id
    kind: Literal["strength", "gap"]
    title: Localized
    when: Annotated[list[Condition], Field(min_length=1)]
    message: Localized
    action: Localized | None = None


class CoachingPlaybook(Strict):
    """coaching.yaml: the rules that turn a call record into feedback."""

    rules: Annotated[list[CoachingRule], Field(min_length=1)]


# --- scorecard.yaml ---------------------------------------------------------------------------


class ScorecardItem(Strict):
    """One line of the coaching score: met when all its conditions hold, worth `points`."""

    id: Id
    points: Annotated[int, Field(ge=1, le=10)]
    label: Localized
    why: Localized
    when: Annotated[list[Condition], Field(min_length=1)]


class ScorecardPlaybook(Strict):
    """scorecard.yaml: the transparent rubric every debriefed visit is scored by."""

    items: Annotated[list[ScorecardItem], Field(min_length=1)]
