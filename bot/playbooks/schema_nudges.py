"""The shape of nudges.yaml: the lines past which a rep is nudged, and the action to take.

Each nudge's id names a check the code makes (`bot.nudges`), so ids come from a fixed set; the
checks that count visits need how many.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bot.playbooks.schema import Localized, Strict

NudgeId = Literal[
    "risk_signal",
    "blocker_unaddressed",
    "no_decision_maker_met",
    "single_threaded",
    "cadence_passed",
]
COUNTS_VISITS = {"blocker_unaddressed", "no_decision_maker_met", "single_threaded"}


class Nudge(Strict):
    """One line a rep's account may cross, what to call it and what to do about it."""

    id: NudgeId
    name: Localized
    action: Localized
    visits: Annotated[int, Field(ge=1, le=10)] | None = None  # the latest debriefed visits

    @model_validator(mode="after")
    def _visits_where_counted(self) -> Nudge:
        if (self.id in COUNTS_VISITS) != (self.visits is not None):
            needs = "needs" if self.id in COUNTS_VISITS else "takes no"
            raise ValueError(f"{self.id} {needs} visits")
        return self


class NudgesPlaybook(Strict):
    """nudges.yaml: the nudges in the order they are tried, and how soon one may repeat."""

    repeat_after_days: Annotated[int, Field(ge=1)]
    nudges: Annotated[list[Nudge], Field(min_length=1)]
