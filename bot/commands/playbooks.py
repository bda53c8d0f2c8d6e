"""`salescoach playbooks check`: are the coaching playbooks valid, and what do they hold?"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands.output import Output
from bot.playbooks.loader import load_playbooks
from bot.settings import Settings


def check(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Load a playbook directory as the bot would, so a broken one fails here, not at start-up."""
    directory = Path(args.directory) if args.directory else settings.playbook_dir
    playbooks = load_playbooks(directory)
    out.say("cli/playbooks_ok", directory=str(directory), counts=playbooks.counts())
    return 0
