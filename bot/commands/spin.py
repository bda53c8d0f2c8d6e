"""`salescoach spin classify` and `spin train`: the SPIN classifier on the command line.

classify reads standard input one question a line and writes `TYPE<TAB>CONFIDENCE<TAB>question`
for every line, blank ones too, so a caller can zip input and output line by line.
"""

from __future__ import annotations

import argparse
import sys

from bot.coaching.spin.data import spin_dir
from bot.coaching.spin.model import MODEL_FILE, load_classifier
from bot.commands.output import Output
from bot.settings import Settings


def classify(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """One output line per input line; undecodable bytes are replaced, never fatal."""
    classifier = load_classifier(playbooks=settings.playbook_dir)
    lang = args.lang
    write = sys.stdout.buffer.write
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        reading = classifier.classify(line, lang)
        shown = line.replace("\t", " ").replace("\r", " ")
        write(f"{reading.letter}\t{reading.confidence:.2f}\t{shown}\n".encode())
    sys.stdout.buffer.flush()
    return 0


def train(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Write spin/model.json from the labelled data as it is now (run after editing it)."""
    from bot.coaching.spin.training import train_from

    model = train_from(spin=spin_dir(), playbooks=settings.playbook_dir)
    path = spin_dir() / MODEL_FILE
    path.write_text(model.to_json() + "\n", encoding="utf-8")
    sys.stdout.write(f"{path}\t{len(model.weights)}\n")
    return 0
