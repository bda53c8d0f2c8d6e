"""The errors the program raises on purpose.

    Exception
    ├── UserError    a person gave input we cannot use; carries a template key and its context
    └── ConfigError  the deployment is misconfigured (bad playbook, bad setting); carries its
                     problems, each a Problem (where, and a template key with its context); the
                     CLI prints them through `cli/config_error` and exits 2

Only the channel edge and the CLI catch these; everything else lets them rise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class UserError(Exception):
    """Raised by parsers and flows; the channel renders `template` in the user's language."""

    def __init__(self, template: str, **context: Any) -> None:
        super().__init__(template)
        self.template = template
        self.context = context


@dataclass(init=False)
class Problem:
    """One thing wrong with the configuration, said in the reader's language.

    `where` names the place and is never translated: a file and key path
    (`spin.yaml: questions[12].roles[0]`), a variable (`SALESCOACH_BOT_TOKEN`) or a flag
    (`--listen`). `template` (`config/unknown_role`) renders with `where` and `context`.
    """

    where: str
    template: str
    context: dict[str, Any]

    def __init__(self, where: str, template: str, **context: Any) -> None:
        self.where = where
        self.template = template
        self.context = context


class ConfigError(Exception):
    """Raised at start-up; each problem names where it is, so an admin can fix it.

    Its message, for logs and tracebacks rather than people, names each problem's place and
    template key (`accounts.yaml: config/file_missing`): no words in Python, in any language.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(f"{problem.where}: {problem.template}" for problem in problems))
