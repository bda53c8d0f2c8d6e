"""/lang: switch between Chinese and English; everything after follows at once."""

from __future__ import annotations

from bot.engine.flow import Choose, Flow, Show
from bot.flows.language_choice import languages, save_language

FLOW = Flow(
    id="lang",
    steps=(Choose("language", options=languages), Show("changed", on_done=save_language)),
)
