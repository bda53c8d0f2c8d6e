"""A scripted user talking to the real engine, and checks on what the engine sends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

import sqlalchemy as sa
from sqlmodel import Session

from bot.domain import Role
from bot.engine.events import Command, Event, NonText, Tap, Text
from bot.engine.output import Attachment, Button, Reply
from bot.engine.pages import screen_lines
from bot.engine.runner import Engine
from bot.storage.models import FlowState, User
from bot.text import plain

TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a"}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"tag <{tag}> is not in Telegram's HTML subset")
        self.stack.append(tag)

    def handle_endtag(self, tag) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")


def assert_telegram_html(text: str) -> None:
    """Only Telegram's tags, all closed in order: what sendMessage with parse_mode=HTML takes."""
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    assert not checker.problems and not checker.stack, (checker.problems, checker.stack, text)
    assert len(text) <= 4096 * 3, "a reply this long needs splitting by the channel"


@dataclass
class Chat:
    """One user's side of the conversation."""

    engine: Engine
    user_id: int
    last: list[Reply] = field(default_factory=list)
    with_buttons: Reply | None = None

    def send(self, event: Event, event_id: str | None = None) -> list[Reply]:
        replies = self.engine.handle(user_id=self.user_id, event=event, event_id=event_id)
        for reply in replies:
            assert_telegram_html(reply.text)
            if reply.buttons:
                self.with_buttons = reply
        self.last = replies
        return replies

    def say(self, text: str) -> list[Reply]:
        return self.send(Text(text))

    def command(self, name: str, argument: str = "") -> list[Reply]:
        return self.send(Command(name, argument))

    def photo(self) -> list[Reply]:
        return self.send(NonText("photo"))

    def button(self, label: str) -> Button:
        assert self.with_buttons is not None, "no buttons shown yet"
        matches = [b for b in self.with_buttons.all_buttons() if label in b.label]
        assert matches, f"no button {label!r} in {self.labels}"
        return matches[0]

    def tap(self, label: str) -> list[Reply]:
        return self.send(Tap(self.button(label).value))

    @property
    def labels(self) -> list[str]:
        return [b.label for b in self.with_buttons.all_buttons()] if self.with_buttons else []

    @property
    def text(self) -> str:
        return "\n".join(plain(reply.text) for reply in self.last)


def add_user(
    database: sa.Engine, team_id: int, *, name: str, language: str, role: Role = Role.REP
) -> int:
    with Session(database) as session:
        user = User(handle=name, display_name=name, language=language, role=role, team_id=team_id)
        session.add(user)
        session.commit()
        return user.id


def with_telegram(database: sa.Engine, user_id: int) -> None:
    """Give the user a Telegram account, so reminders and notices are sent to them."""
    with Session(database) as session:
        user = session.get(User, user_id)
        assert user is not None
        user.telegram_id = 4242 + user_id
        session.add(user)
        session.commit()


def tap_link(chat: Chat, label: str) -> None:
    """Tap the one button of the last replies whose label holds `label` (a link under a
    result or above a question's navigation row)."""
    [link] = [b for reply in chat.last for b in reply.all_buttons() if label in b.label]
    chat.send(Tap(link.value))


def at_step(chat: Chat) -> str | None:
    """The id of the question the user's flow is at (without its item), or None at the menu."""
    with Session(chat.engine.db) as session:
        state = session.get(FlowState, chat.user_id)
        return state.step.rsplit("/", 1)[-1] if state else None


def play(chat: Chat, steps: list[tuple[str, str]]) -> None:
    """Take the steps; a step that names its question fails loudly if the flow is elsewhere."""
    for step in steps:
        kind, argument = step
        expected = getattr(step, "at", None)
        if getattr(step, "only_there", False) and at_step(chat) != expected:
            continue
        if expected is not None:
            assert at_step(chat) == expected, f"{step!r}: expected at {expected!r}"
        if kind == "cmd":
            chat.command(argument)
        elif kind == "say":
            chat.say(argument)
        else:
            chat.tap(argument)


def every_page(chat: Chat, more: str = "More", *, first: int = 20) -> tuple[str, list[Attachment]]:
    """The report just shown and each of its further pages ("More ▸"), as one text, checking
    that every page fits a phone's screen (the first may take `first` lines: a call plan's
    30); and the attachments of all the pages."""
    texts: list[str] = []
    attachments: list[Attachment] = []
    for number in range(20):
        for reply in chat.last:
            assert screen_lines(reply.text) <= (first if number == 0 else 20), reply.text
        texts.append(chat.text)
        attachments += [a for reply in chat.last for a in reply.attachments]
        offered = [button for reply in chat.last for button in reply.all_buttons()]
        following = [button for button in offered if more in button.label]
        if not following:
            break
        chat.send(Tap(following[0].value))
    return "\n".join(texts), attachments
