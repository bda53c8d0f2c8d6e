"""A ConfigError's problems as the command line prints them, for tests that read the words."""

from __future__ import annotations

from functools import cache

from bot.errors import ConfigError
from bot.settings import Language
from bot.text import Texts, plain


@cache
def _texts() -> Texts:
    return Texts()


def printed(error: ConfigError, language: Language = "en") -> list[str]:
    """Each problem rendered by its template, one line each, as `cli/config_error` lists it."""
    return [
        plain(_texts().render(problem.template, language, where=problem.where, **problem.context))
        for problem in error.problems
    ]
