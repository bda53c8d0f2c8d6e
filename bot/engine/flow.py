"""A flow is data: steps that ask, and the engine that runs them.

A step's id names its template (`templates/<lang>/<flow>/<step>.j2`) and its answer. `Each`
repeats a group of steps for every item of a list (each attendee, each planned question); its
answers are keyed `each/item/step`. Getters and predicates are pure functions of `Ctx`.
Answers are JSON values, because the flow state is saved as JSON after every step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.domain import Role
from bot.engine.output import Attachment
from bot.errors import UserError
from bot.playbooks.loader import Playbooks
from bot.playbooks.schema import Localized
from bot.settings import Language, Settings
from bot.storage.models import User
from bot.text import Texts

FREE_TEXT_LIMIT = 4000
NAME_LIMIT = 200


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
    scratch: dict[str, Any]
    labels: Callable[[str], str]
    settings: Settings
    texts: Texts
    flow_session_id: int | None = None  # the transcript's session, for the record to point at
    item: Item | None = None
    prefix: str = ""
    memo: dict[str, Any] = field(default_factory=dict)
    outbox: list[Attachment] = field(default_factory=list)
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
        self.outbox.append(attachment)

    def notify(self, user_id: int) -> None:
        """Someone has a message waiting in the outbox: the channel sends it right after commit."""
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


@dataclass(frozen=True)
class Step:
    """Common to all steps: when to ask it, whether it may be skipped, what its text needs."""

    id: str
    _: KW_ONLY
    optional: bool | Predicate = False
    when: Predicate | None = None
    getter: Getter | None = None

    def is_optional(self, ctx: Ctx) -> bool:
        """Optional may depend on earlier answers (a next step is needed only for an advance)."""
        return self.optional(ctx) if callable(self.optional) else self.optional


@dataclass(frozen=True, kw_only=True)
class Choose(Step):
    """Pick one option; typed text is matched against the labels."""

    options: Options
    columns: int = 2


@dataclass(frozen=True, kw_only=True)
class ChooseMany(Step):
    """Toggle options, then Done.

    With `allow_add` the options are names: a typed name equal to one ticks it, and any other
    is added only after a tap that confirms it (beside the close names it may have meant).
    """

    options: Options
    preselect: Callable[[Ctx], list[str]] | None = None
    allow_add: bool = False
    min_selected: int = 0


def free_text(text: str, ctx: Ctx) -> str:
    """Any non-empty text up to the limit, stored as typed."""
    cleaned = text.strip()
    if not cleaned:
        raise UserError("errors/empty")
    if len(cleaned) > FREE_TEXT_LIMIT:
        raise UserError("errors/too_long", limit=FREE_TEXT_LIMIT, length=len(cleaned))
    return cleaned


def one_line(text: str, limit: int = NAME_LIMIT) -> str:
    """Short text such as a name or a title: whitespace collapsed, not empty, not too long."""
    line = " ".join(text.split())
    if not line:
        raise UserError("errors/empty")
    if len(line) > limit:
        raise UserError("errors/too_long", limit=limit, length=len(line))
    return line


@dataclass(frozen=True, kw_only=True)
class Ask(Step):
    """Free text through a parser; `suggestions` are buttons that answer with their label.

    `lines` says the answer may be several lines (one question each): a channel where Enter
    sends, such as the terminal, offers another line before sending.
    """

    parse: Callable[[str, Ctx], Any] = free_text
    suggestions: Options | None = None
    lines: bool = False


@dataclass(frozen=True, kw_only=True)
class Pick(Step):
    """Pick from a long list by typing part of a name; offers to create what is not there."""

    candidates: Options
    create: bool = True
    shown: int = 6


@dataclass(frozen=True, kw_only=True)
class AskDate(Step):
    """A day (buttons for today, tomorrow, in N days) or a typed date, with an optional time."""

    offsets: tuple[int, ...] = (0, 1, 2, 3, 7)


@dataclass(frozen=True, kw_only=True)
class Confirm(Step):
    """Yes or no."""


@dataclass(frozen=True, kw_only=True)
class Info(Step):
    """Coaching to read; any tap or text continues."""


@dataclass(frozen=True, kw_only=True)
class Show(Step):
    """The end of a flow: `on_done` saves, then the template shows the result.

    What `on_done` returns (a saved record's figures, a report) is added to the template's
    context, after the getter's, so nothing has to be parked in the flow state to be shown.
    """

    on_done: Callable[[Ctx], dict[str, Any] | None] | None = None


@dataclass(frozen=True)
class Each:
    """Repeat `steps` for every item `items` returns, in order."""

    id: str
    items: Callable[[Ctx], Sequence[Item]]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Flow:
    """A named sequence of steps; `start` may fill answers from a command's argument.

    The id is its command (`/prep`); `menu` says whether it is a main-menu entry (label
    `menu_<id>`) and a command in Telegram's command menu (`command_<id>`), for `roles`.
    """

    id: str
    steps: tuple[Step | Each, ...]
    start: Callable[[Ctx, str], None] | None = None
    roles: tuple[Role, ...] = (Role.REP, Role.MANAGER, Role.ADMIN)
    menu: bool = True
