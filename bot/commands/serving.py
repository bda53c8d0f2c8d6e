"""The coach at work: `salescoach chat` in this terminal, `salescoach run` on Telegram."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.channels.terminal.chat import TerminalChat
from bot.clock import utcnow
from bot.commands.deployment import opened
from bot.commands.output import Output
from bot.demo.loader import demo_team_name, load_demo
from bot.domain import Role
from bot.settings import Settings, webhook_of
from bot.users import first_team, team_named, terminal_user


def chat(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """The coach in this terminal, as the given user (created on first use).

    End of input (Ctrl-D) and /quit exit 0; Ctrl-C exits 130, the shell's code for an
    interrupt, without a traceback. Either way the next `salescoach chat` resumes.
    """
    try:
        with opened(settings, out.texts) as deployment:
            with deployment.session() as session:
                if args.team or args.demo:
                    name = args.team or demo_team_name(out.language)
                    team = team_named(session=session, name=name)
                else:
                    team = first_team(session=session) or team_named(
                        session=session, name=out.texts.label("default_team", out.language)
                    )
                user = terminal_user(
                    session=session,
                    handle=args.user or getpass.getuser(),
                    team=team,
                    language=out.language,
                    role=Role(args.role),
                )
                if args.demo:
                    load_demo(session=session, rep=user, language=out.language, now=utcnow())
                session.commit()
                user_id = user.id or 0
            # Loaded before the first turn, not inside it (see `run`).
            from bot.coaching.spin.reading import classifier_for

            classifier_for(settings.playbook_dir)
            terminal = TerminalChat(
                deployment.engine(), user_id=user_id, output=out.stream or sys.stdout
            )
            terminal.run(sys.stdin)
    except KeyboardInterrupt:  # Ctrl-C leaves as /quit does: every step is already saved
        print(file=out.stream or sys.stdout)  # the shell's prompt then starts after the "^C"
        return 130
    return 0


def run(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Serve Telegram until stopped: long polling, or a webhook behind a secret token."""
    # Here, not at the top: a terminal chat never loads python-telegram-bot.
    from bot.channels.telegram.app import build_application, run_polling, run_webhook
    from bot.coaching.spin.reading import classifier_for

    webhook = webhook_of(settings, url=args.webhook, listen=args.listen, secret=args.secret)
    with opened(settings, out.texts) as deployment:
        # Loaded before the first update: a playbook bank newer than the shipped model means
        # training (seconds), which belongs at start-up, not inside a rep's turn.
        classifier_for(settings.playbook_dir)
        application = build_application(
            settings=settings,
            engine=deployment.engine(),
            db=deployment.database,
            texts=deployment.texts,
        )
        if webhook is not None:
            run_webhook(application, url=webhook.url, listen=webhook.listen, secret=webhook.secret)
        else:
            run_polling(application)
    return 0
