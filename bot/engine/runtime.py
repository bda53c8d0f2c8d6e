"""What every turn runs with: the flows, the texts, the playbooks, the settings and the clock.

Built once by the `Engine` and handed to each `Turn`, so the parts of the engine depend on this
small record rather than on the engine that owns them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.domain import Role
from bot.engine.flow import Flow
from bot.playbooks.loader import Playbooks
from bot.settings import Settings
from bot.text import LANGUAGES, Texts

NAV = ("back", "skip", "cancel")


@dataclass(frozen=True)
class Runtime:
    """The engine's fixed parts for one process; nothing per user."""

    flows: Mapping[str, Flow]
    texts: Texts
    playbooks: Playbooks
    settings: Settings
    clock: Callable[[], datetime]

    def menu_for(self, role: Role) -> list[str]:
        """The flows `role` may start from the menu and the command list, in declared order."""
        return [flow.id for flow in self.flows.values() if flow.menu and role in flow.roles]

    def nav_word(self, text: str) -> str | None:
        """Typed 'back', '返回', 'help', '帮助'... in either language, exactly."""
        wanted = text.strip().lower().lstrip("/")
        for word in (*NAV, "help"):
            words = {word, *(self.texts.label(word, lang).lower() for lang in LANGUAGES)}
            if wanted in words:
                return word
        return None
