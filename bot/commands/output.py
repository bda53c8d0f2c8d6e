"""What the person at the terminal reads, and in which language."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from bot.settings import Language, Settings, as_language
from bot.text import Texts, plain

# Where a terminal says its language, in the order gettext reads them: the first one set decides.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class Output:
    """Prints rendered templates as plain text in the language of the person at the terminal."""

    def __init__(self, language: Language, stream: Any = None) -> None:
        self.language = language
        self.texts = Texts()
        self.stream = stream

    def say(self, key: str, **context: Any) -> None:
        """Render `key` and print it."""
        print(plain(self.texts.render(key, self.language, **context)), file=self.stream)


def cli_language(settings: Settings | None, environ: Mapping[str, str] = os.environ) -> Language:
    """SALESCOACH_DEFAULT_LANGUAGE when it is set; else the terminal's locale when it is English
    or Chinese (LANG=en_US.UTF-8, LANGUAGE=zh_CN:en); else the deployment default, Chinese.

    With `settings` None (they did not load) the variable is read as given, so a configuration
    error is still reported in the language asked for.
    """
    if settings is not None and "default_language" in settings.model_fields_set:
        return settings.default_language
    if settings is None:
        given = environ.get("SALESCOACH_DEFAULT_LANGUAGE", "").strip().lower()
        if given in ("zh", "en"):
            return as_language(given)
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), "")
    first = locale.split(":", 1)[0][:2].lower()  # en_US.UTF-8, zh_CN:en, en
    if first in ("zh", "en"):
        return as_language(first)
    return settings.default_language if settings is not None else "zh"
