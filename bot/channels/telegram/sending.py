"""Engine replies as Telegram messages: HTML text, inline keyboards, 4096-character chunks."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest

from bot.engine.output import Reply

log = logging.getLogger(__name__)

LIMIT = 4096


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """Button rows as an inline keyboard; values are already within 64 bytes."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.value) for b in row]
            for row in reply.buttons
        ]
    )


def split(text: str, limit: int = LIMIT) -> list[str]:
    """Chunks of at most `limit` characters, cut at line ends (our tags never span lines).

    A single line longer than the limit is cut at a space if there is one, and never inside
    an HTML entity such as `&amp;`.
    """
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            amp = line.rfind("&", 0, cut)
            if amp != -1 and ";" not in line[amp:cut]:
                cut = amp
            chunks.append(line[:cut])
            line = line[cut:].lstrip(" ")
        current = line
    if current or not chunks:
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()] or [text[:limit]]


async def deliver(
    bot: Bot, chat_id: int, replies: list[Reply], *, edit_message_id: int | None = None
) -> None:
    """Send replies in order; an `edit` reply replaces the tapped message when there is one."""
    for reply in replies:
        keyboard = markup(reply)
        if reply.edit and edit_message_id is not None and len(reply.text) <= LIMIT:
            try:
                await bot.edit_message_text(
                    reply.text,
                    chat_id=chat_id,
                    message_id=edit_message_id,
                    reply_markup=keyboard,
                )
                continue
            except BadRequest as error:
                if "not modified" in str(error).lower():
                    continue
                log.warning("edit failed, sending instead: %s", error)
        chunks = split(reply.text)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            await bot.send_message(chat_id, chunk, reply_markup=keyboard if last else None)
        for attachment in reply.attachments:
            upload = InputFile(attachment.content, filename=attachment.filename)
            if attachment.image:
                await bot.send_photo(chat_id, upload)
            else:
                await bot.send_document(chat_id, upload)
