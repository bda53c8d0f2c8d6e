"""What a channel hands the engine: one event from one user."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """Typed text (may be empty, huge, emoji, markup: the engine copes)."""

    text: str


@dataclass(frozen=True)
class Tap:
    """A button pressed; `data` is the button's value as sent, which may be forged or stale."""

    data: str


@dataclass(frozen=True)
class Command:
    """A slash command such as /prep, with whatever followed it."""

    name: str
    argument: str = ""


@dataclass(frozen=True)
class NonText:
    """A photo, sticker, voice note or file where the bot expects text or a tap."""

    kind: str


Event = Text | Tap | Command | NonText
