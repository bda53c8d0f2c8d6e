"""/lang: switch between Chinese and English; everything after follows at once."""

from __future__ import annotations

from bot.engine.flow import Flow
from bot.engine.steps.choose import Choose
from bot.engine.steps.info import Show
from bot.flows.language_choice import languages, save_language

FLOW = Flow(
    id="lang",
    steps=(Choose("language", options=languages), Show("changed", on_done=save_language)),
)
