"""What a flow's functions see of the world during one event, and the options they offer.

Getters, predicates, parsers and savers receive a `Ctx`: the database session, the user, the
answers so far, the playbooks, the clock. Answers are JSON values, because the flow state is
saved as JSON after every step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.engine.output import Attachment
from bot.playbooks.loader import Playbooks
from bot.playbooks.schema import Localized
from bot.settings import Language, Settings
from bot.storage.models import User
from bot.text import Texts


@dataclass(frozen=True)
class Option:
    """One choice: a stable id and the label shown (already in the user's language).

    `name` is what a typed name is compared with when the label says more (a person's title).
    """

    id: str
    label: str
    name: str | None = None

    @property
    def typed_as(self) -> str:
        """The text a user would type for this option."""
        return self.name or self.label


@dataclass(frozen=True)
class Item:
    """One element an `Each` group repeats over; `context` is what its templates see."""

    key: str
    context: dict[str, Any]


@dataclass
class Ctx:
    """What getters, predicates, parsers and savers see of the world during one event."""

    db: Session
    user: User
    language: Language
    playbooks: Playbooks
    now: datetime
    zone: ZoneInfo
    answers: dict[str, Any]
    labels: Callable[[str], str]
    settings: Settings
    texts: Texts
    flow_session_id: int | None = None  # the transcript's session, for the record to point at
    item: Item | None = None
    prefix: str = ""
    memo: dict[str, Any] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    notices: list[int] = field(default_factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        """A top-level answer, or any answer by its full key."""
        return self.answers.get(key, default)

    def here(self, step_id: str, default: Any = None) -> Any:
        """An answer of the current `Each` item."""
        return self.answers.get(self.prefix + step_id, default)

    def of(self, each_id: str, item_key: str, step_id: str, default: Any = None) -> Any:
        """An answer of another item of an `Each` group."""
        return self.answers.get(f"{each_id}/{item_key}/{step_id}", default)

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute once per event: getters and predicates ask the same questions many times."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def attach(self, attachment: Attachment) -> None:
        """Send a file with the step's reply (files never go into the saved flow state)."""
        self.attachments.append(attachment)

    def notify(self, user_id: int) -> None:
        """Someone has a message due now (a comment): the channel sends it right after commit."""
        self.notices.append(user_id)

    def t(self, text: Localized) -> str:
        """Playbook text in the user's language."""
        return text.get(self.language)

    @property
    def today(self) -> date:
        """The user's local date."""
        return self.now.astimezone(self.zone).date()


Getter = Callable[[Ctx], dict[str, Any]]
Predicate = Callable[[Ctx], bool]
Options = Callable[[Ctx], Sequence[Option]]
