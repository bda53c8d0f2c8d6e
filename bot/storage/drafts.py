"""Drafts: a plan or a debrief as a flow answered it, typed, for `bot.records` to write.

Frozen dataclasses with no behaviour, the way the FastAPI template's `UserCreate` sits beside
its table models: flows build them from answers, `bot.records.save_plan` and `save_debrief`
turn them into rows. Ids are playbook ids (roles, stances, stages), never labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain import ObjectiveMet, Outcome, SpinType, TypedBy


@dataclass(frozen=True)
class AccountDraft:
    """The account visited: one on file (`account_id`) or a new one (`name`).

    The tier and stages given are set on it; those left None stay as they are.
    """

    account_id: int | None = None
    name: str = ""
    tier: str | None = None
    sales_stage: str | None = None
    lifecycle_stage: str | None = None


@dataclass(frozen=True)
class PersonDraft:
    """Someone at the visit: on file (`contact_id`) or new (`name`), with what was answered.

    Fields left None stay as they are. `key` is who the person is within one draft (their
    answers' item key, such as `c12` or `n0`): a debrief's newcomer with an attendee's key is
    that attendee, so two new people of one name stay two people and one person stays one.
    """

    key: str
    name: str = ""
    contact_id: int | None = None
    title: str | None = None
    buying_role: str | None = None
    stance: str | None = None
    influence: str | None = None
    relationship_stage: str | None = None
    personal_win: str | None = None  # people.yaml: the one that matters to them
    evidence: str | None = None  # why the stage moved, in a debrief
    attended: bool = True


@dataclass(frozen=True)
class QuestionDraft:
    """A SPIN question: from the bank (`bank_question_id`) or the rep's own words."""

    spin_type: SpinType
    text: str
    bank_question_id: str | None = None
    typed_by: TypedBy = TypedBy.REP
    read_type: SpinType | None = None  # what the coach read, kept beside a rep's own type


@dataclass(frozen=True)
class PlanDraft:
    """A prepared visit: who, the objective as an Advance, the SPIN plan in order, when.

    `happened` says the time given is already gone and the visit took place: it is debriefed
    now, so no reminder is scheduled for it.
    """

    account: AccountDraft
    attendees: tuple[PersonDraft, ...]
    questions: tuple[QuestionDraft, ...] = ()
    problems: tuple[str, ...] = ()  # the worksheet's problem statements, in order
    planned_at: datetime | None = None
    objective_best: str | None = None
    objective_minimum: str | None = None
    happened: bool = False


@dataclass(frozen=True)
class AskedQuestion:
    """A planned question the rep asked, with the answer they heard (if they noted one)."""

    spin_item_id: int
    answer: str | None = None


@dataclass(frozen=True)
class DebriefDraft:
    """A debriefed visit: a planned one (`visit_id`) or one held now without a plan.

    For an unplanned visit, `account` and the `attendees` say where and with whom; for a planned
    one the attendees are the plan's. Each attendee carries what changed about them.
    `newcomers` are people met for the first time: on file already (`contact_id`), an
    attendee of this draft (their `key`), or new. `sales_stage` and `lifecycle_stage` are where
    the account stands after the visit (None: as it was), `sales_evidence` the milestone the
    rep confirmed for it. `objective_met` is how it ended against the plan's objective (None
    where the plan set none).
    """

    outcome: Outcome
    objective_met: ObjectiveMet | None = None
    visit_id: int | None = None
    account: AccountDraft | None = None
    attendees: tuple[PersonDraft, ...] = ()
    asked: tuple[AskedQuestion, ...] = ()
    other_questions: tuple[QuestionDraft, ...] = ()
    newcomers: tuple[PersonDraft, ...] = ()
    summary: str | None = None
    implied_needs: str | None = None
    explicit_needs: str | None = None
    next_step: str | None = None
    next_step_due: date | None = None
    sales_stage: str | None = None
    sales_evidence: str | None = None
    lifecycle_stage: str | None = None
    risks: tuple[str, ...] = ()  # risks.yaml signals heard at the visit
    criteria: tuple[str, ...] = ()  # needs.yaml purchase-criteria categories heard


@dataclass(frozen=True)
class CorrectionDraft:
    """A saved debrief's fields as its rep corrected them; None leaves a field as it is.

    No field is emptied by a correction: a debrief's words are corrected, not withdrawn.
    """

    visit_id: int
    outcome: Outcome | None = None
    objective_met: ObjectiveMet | None = None
    summary: str | None = None
    implied_needs: str | None = None
    explicit_needs: str | None = None
    next_step: str | None = None
    next_step_due: date | None = None
