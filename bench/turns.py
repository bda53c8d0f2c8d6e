"""Benchmark: a debrief turn through PTB + engine + SQLite versus a bare PTB echo bot.

Both bots run in this process against the same fake Bot API (tests/fake_bot_api.py) over PTB's
real HTTP stack. A turn is one update from queueing to the end of its handling, replies sent.

  latency:    one rep debriefing visit after visit, turns one at a time
  throughput: many reps debriefing at once, every turn queued as soon as the last one is done

Run from the repository root:  .venv/bin/python bench/turns.py [--reps 20] [--rounds 3]
Figures are printed as ratios to the echo bot measured in the same run; there is no pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, select
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

from bot.channels.telegram.app import build_application
from bot.domain import Role, SnapshotPhase, SpinType
from bot.engine.runner import Engine
from bot.flows import FLOWS
from bot.playbooks.loader import load_playbooks
from bot.settings import load_settings
from bot.shipped import shipped_dir
from bot.storage import db
from bot.storage.models import (
    Account,
    Contact,
    SpinItem,
    StakeholderSnapshot,
    Team,
    User,
    Visit,
)
from bot.text import Texts
from tests.channels.telegram_harness import Phone, running
from tests.engine.chat import Clock
from tests.engine.scripts import DEBRIEF_EN, tap
from tests.fake_bot_api import FakeBotAPI, TelegramUser, serve

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
# The script's debrief moves the sale on; here every round leaves it where it is, so the same
# turns repeat visit after visit at one account.
DEBRIEF = [
    tap("Still at", at="sale") if step == ("tap", "Bidding reached") else step
    for step in DEBRIEF_EN
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def timed(phone: Phone, step: tuple[str, str], latencies: list[float]) -> None:
    started = time.perf_counter()
    await phone.play([step])
    latencies.append(time.perf_counter() - started)


async def echo_run(api: FakeBotAPI, *, reps: int, turns: int) -> tuple[list[float], float, int]:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message and update.message.text:
            await context.bot.send_message(update.message.chat_id, update.message.text)

    application = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
    application.add_handler(TypeHandler(Update, echo))
    async with running(application) as bot:
        single = Phone(api, bot, TelegramUser(1, "solo"))
        latencies: list[float] = []
        for index in range(turns):
            await timed(single, ("say", f"turn {index}"), latencies)
        phones = [Phone(api, bot, TelegramUser(100 + n, f"rep{n}")) for n in range(reps)]
        started = time.perf_counter()
        await asyncio.gather(
            *(one_by_one(phone, [("say", f"turn {i}") for i in range(turns)]) for phone in phones)
        )
        elapsed = time.perf_counter() - started
    return latencies, elapsed, reps * turns


async def one_by_one(phone: Phone, steps: Sequence[tuple[str, str]]) -> None:
    for step in steps:
        await phone.play([step])


QUESTIONS = [
    (SpinType.SITUATION, "What are your most important business goals this year?"),
    (SpinType.PROBLEM, "Which costs are putting you under the most pressure?"),
    (SpinType.IMPLICATION, "What does a day of downtime cost you?"),
    (SpinType.NEED_PAYOFF, "If downtime were halved, what would that mean for your output?"),
]


def prepare_visits(url: str, *, users: list[int], visits_each: int) -> None:
    """Planned visits as a prep leaves them (setup, not measured)."""
    database = db.make_engine(url)
    with Session(database) as session:
        for telegram_id in users:
            user = session.exec(select(User).where(User.telegram_id == telegram_id)).one()
            account = Account(
                team_id=user.team_id,
                name=f"Huadong Heavy Truck {telegram_id}",
                owner_id=user.id,
                sales_stage="proposal",
            )
            session.add(account)
            session.flush()
            people = [
                Contact(account_id=account.id or 0, name=name, buying_role=role, stance=stance)
                for name, role, stance in (
                    ("Wang Gong", "technical_evaluator", "supporter"),
                    ("Zhao Zong", "decision_maker", "neutral"),
                )
            ]
            session.add_all(people)
            session.flush()
            for number in range(visits_each):
                visit = Visit(
                    account_id=account.id or 0,
                    rep_id=user.id or 0,
                    team_id=user.team_id,
                    planned_at=NOW + timedelta(hours=number + 1),
                    objective_best="a site visit",
                    objective_minimum="criteria",
                )
                session.add(visit)
                session.flush()
                for position, (kind, text) in enumerate(QUESTIONS):
                    session.add(
                        SpinItem(
                            visit_id=visit.id or 0,
                            position=position,
                            spin_type=kind,
                            question=text,
                        )
                    )
                for contact in people:
                    session.add(
                        StakeholderSnapshot(
                            visit_id=visit.id or 0,
                            contact_id=contact.id or 0,
                            phase=SnapshotPhase.PREP,
                            buying_role=contact.buying_role,
                            stance=contact.stance,
                        )
                    )
        session.commit()
    database.dispose()


async def coach_run(
    api: FakeBotAPI, url: str, *, reps: int, rounds: int, rate_limit: bool
) -> tuple[list[float], float, int]:
    database = db.make_engine(url)
    settings = load_settings(bot_token=api.token, bot_api_url=api.base_url, database_url=url)
    playbooks = load_playbooks(shipped_dir("playbooks"))
    texts = Texts()
    engine = Engine(
        flows=FLOWS,
        db=database,
        texts=texts,
        playbooks=playbooks,
        settings=settings,
        clock=Clock(NOW),
    )
    application = build_application(
        settings=settings,
        engine=engine,
        db=database,
        texts=texts,
        clock=Clock(NOW),
        tick_seconds=3600,
        first_tick=3600,
        rate_limit=rate_limit,
    )
    async with running(application) as bot:
        single = Phone(api, bot, TelegramUser(1, "solo"))
        latencies: list[float] = []
        for _ in range(rounds):
            for step in DEBRIEF:
                await timed(single, step, latencies)
        phones = [Phone(api, bot, TelegramUser(100 + n, f"rep{n}")) for n in range(reps)]
        started = time.perf_counter()
        await asyncio.gather(*(one_by_one(phone, DEBRIEF * rounds) for phone in phones))
        elapsed = time.perf_counter() - started
    database.dispose()
    return latencies, elapsed, reps * rounds * len(DEBRIEF)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=20, help="reps debriefing at once")
    parser.add_argument("--rounds", type=int, default=3, help="debriefs per rep")
    args = parser.parse_args()
    telegram_ids = [1] + [100 + n for n in range(args.reps)]
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'bench.db'}"
        db.upgrade(url)
        database = db.make_engine(url)
        with Session(database) as session:
            team = Team(name="Bench")
            session.add(team)
            session.flush()
            for telegram_id in telegram_ids:
                session.add(
                    User(
                        telegram_id=telegram_id,
                        display_name=str(telegram_id),
                        language="en",
                        role=Role.REP,
                        team_id=team.id or 0,
                    )
                )
            session.commit()
        database.dispose()
        print(f"setting up: {len(telegram_ids)} reps, planned visits ...", flush=True)
        prepare_visits(url, users=telegram_ids, visits_each=2 * args.rounds)
        api = FakeBotAPI()
        server, thread = serve(api)
        try:
            turns = args.rounds * len(DEBRIEF)
            echo = asyncio.run(echo_run(api, reps=args.reps, turns=turns))
            limited = asyncio.run(
                coach_run(api, url, reps=args.reps, rounds=args.rounds, rate_limit=True)
            )
            unlimited = asyncio.run(
                coach_run(api, url, reps=args.reps, rounds=args.rounds, rate_limit=False)
            )
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    report(echo, limited, unlimited, reps=args.reps)


def report(
    echo: tuple[list[float], float, int],
    *coach_runs: tuple[list[float], float, int],
    reps: int,
) -> None:
    """One row per figure: the echo bot, then each coach run and its ratio to the echo bot."""

    def figures(run: tuple[list[float], float, int]) -> list[float]:
        latencies, elapsed, turns = run
        return [
            statistics.median(latencies) * 1e3,
            percentile(latencies, 0.99) * 1e3,
            turns / elapsed,
        ]

    names = ["median ms/turn", "p99 ms/turn", f"turns/s, {reps} reps at once"]
    base = figures(echo)
    columns = [figures(run) for run in coach_runs]
    print(
        f"\n{len(coach_runs[0][0])} sequential debrief turns per run; "
        f"{coach_runs[0][2]} turns by {reps} reps at once"
    )
    print(f"{'':28}{'echo bot':>10}{'coach':>10}{'ratio':>8}{'coach*':>10}{'ratio':>8}")
    for row, name in enumerate(names):
        cells = "".join(
            f"{column[row]:10.2f}{column[row] / base[row]:7.2f}x" for column in columns
        )
        print(f"{name:28}{base[row]:10.2f}{cells}")
    print("coach: as deployed, with AIORateLimiter (Telegram allows about 30 messages a second)")
    print("coach*: the same without the flood limiter: what PTB + engine + SQLite can do")


if __name__ == "__main__":
    main()
