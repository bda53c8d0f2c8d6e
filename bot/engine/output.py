"""What the engine hands back: structured replies that each channel renders its own way."""

from __future__ import annotations

from dataclasses import dataclass

CALLBACK_LIMIT = 64  # bytes: Telegram's callback_data limit


@dataclass(frozen=True)
class Button:
    """A choice: `label` in the user's language, `value` short enough for callback data."""

    label: str
    value: str

    def __post_init__(self) -> None:
        if len(self.value.encode()) > CALLBACK_LIMIT:
            raise ValueError(f"button value over {CALLBACK_LIMIT} bytes: {self.value!r}")


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (an export, a chart); each channel delivers it its way."""

    filename: str
    content: bytes
    image: bool = False


@dataclass(frozen=True)
class Reply:
    """Rendered text (Telegram's HTML subset) and rows of buttons.

    `edit` asks a channel that can to replace its previous message (multi-select ticks) rather
    than send a new one.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    attachments: tuple[Attachment, ...] = ()

    def all_buttons(self) -> list[Button]:
        """Buttons in reading order, as the terminal numbers them."""
        return [button for row in self.buttons for button in row]
