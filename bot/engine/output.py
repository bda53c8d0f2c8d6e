"""What the engine hands back: structured replies that each channel renders its own way."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

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
    than send a new one. `another_line` is set where the answer may be several lines: the
    prompt (in the user's language) a channel where Enter sends shows for one more line.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    attachments: tuple[Attachment, ...] = ()
    another_line: str = ""

    def all_buttons(self) -> list[Button]:
        """Buttons in reading order, as the terminal numbers them."""
        return [button for row in self.buttons for button in row]


def reply_to_data(reply: Reply) -> dict[str, Any]:
    """A reply as JSON, for the outbox row that carries it past a crash."""
    return {
        "text": reply.text,
        "buttons": [[[button.label, button.value] for button in row] for row in reply.buttons],
        "edit": reply.edit,
        "another_line": reply.another_line,
        "attachments": [
            {
                "filename": attachment.filename,
                "content": base64.b64encode(attachment.content).decode("ascii"),
                "image": attachment.image,
            }
            for attachment in reply.attachments
        ],
    }


def reply_from_data(data: dict[str, Any]) -> Reply:
    """The reply `reply_to_data` stored."""
    return Reply(
        text=str(data["text"]),
        buttons=tuple(
            tuple(Button(str(label), str(value)) for label, value in row)
            for row in data.get("buttons", [])
        ),
        edit=bool(data.get("edit", False)),
        another_line=str(data.get("another_line", "")),
        attachments=tuple(
            Attachment(
                str(item["filename"]), base64.b64decode(item["content"]), bool(item["image"])
            )
            for item in data.get("attachments", [])
        ),
    )
