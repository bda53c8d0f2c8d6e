"""Benchmark: the manager's queries on a large team, on SQLite.

Generates one team of 200 reps with 1,000,000 visits (each with SPIN items, stakeholder
snapshots and a debrief, some with transcripts), then times the product's own code for:

  /team            the team report (figures for every rep, open flags from each latest debrief)
  rep visit list   a rep's latest visits, as /review lists them
  one record       one visit with its transcript, as /review and the export assemble it

  /stats          90 days of team figures; then the whole reply, with its text and PNG chart

and prints p50 and p95 of each, and p95 as a multiple of a baseline measured in the same run
(one visit read by id with the bare sqlite3 driver). Targets: p95 at most 50 ms for the list
and record queries, at most 500 ms for /stats over 90 days.

Run from the repository root:  .venv/bin/python bench/manager_queries.py [--visits 1000000]
Generation takes minutes at full size; the database is kept in --db for reruns.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, select

from bot.engine.context import Ctx
from bot.figures import team_figures
from bot.flows.reviewing import rep_visits
from bot.flows.stats_report import make_report
from bot.flows.team_report import team_report
from bot.playbooks.loader import load_playbooks
from bot.settings import load_settings
from bot.shipped import shipped_dir
from bot.storage import db
from bot.storage.models import User, Visit
from bot.text import Texts
from bot.visit_records import record_of

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
REPS = 200
ACCOUNTS_PER_REP = 25
CONTACTS_PER_ACCOUNT = 4
TYPES = ("situation", "problem", "implication", "need_payoff")
OUTCOMES = ("advance", "continuation", "order", "no_sale")
TIERS = ("core", "high_potential", "maintain", "optimise")
STAGES = ("first_months", "stable", "deep_partnership", "symbiosis")
SALES_STAGES = (
    "development",
    "initiation",
    "proposal",
    "bidding",
    "negotiation",
    "implementation",
)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def generate(path: Path, visits: int) -> None:
    """Bulk rows with the sqlite3 driver; the schema comes from the real migrations."""
    url = f"sqlite:///{path}"
    db.upgrade(url)
    rng = random.Random(7)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    now = stamp(NOW)
    connection.execute("INSERT INTO teams (id, name, created_at) VALUES (1, 'Bench', ?)", (now,))
    users = [(1, "manager", "Manager", "en", "manager", 1, 1, now)]
    users += [
        (rep + 2, f"rep{rep}", f"Rep {rep:03d}", "en", "rep", 1, 1, now) for rep in range(REPS)
    ]
    connection.executemany(
        "INSERT INTO users (id, handle, display_name, language, role, team_id, is_active,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        users,
    )
    accounts, contacts = [], []
    stances: dict[int, list[str | None]] = {}
    for rep in range(REPS):
        for number in range(ACCOUNTS_PER_REP):
            account_id = rep * ACCOUNTS_PER_REP + number + 1
            accounts.append(
                (
                    account_id,
                    1,
                    f"Account {account_id}",
                    rng.choice(TIERS),
                    rng.choice(STAGES),
                    rng.choice(SALES_STAGES),
                    rep + 2,
                    now,
                    now,
                )
            )
            stances[account_id] = [
                rng.choice(("coach", "supporter", "neutral", "blocker", None))
                for _ in range(CONTACTS_PER_ACCOUNT)
            ]
            for person in range(CONTACTS_PER_ACCOUNT):
                contacts.append(
                    (
                        (account_id - 1) * CONTACTS_PER_ACCOUNT + person + 1,
                        account_id,
                        f"Contact {account_id}-{person}",
                        ("decision_maker", "purchaser", "technical_evaluator", "user")[person],
                        stances[account_id][person],
                        now,
                        now,
                    )
                )
    connection.executemany(
        "INSERT INTO accounts (id, team_id, name, tier, lifecycle_stage, sales_stage, owner_id,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        accounts,
    )
    connection.executemany(
        "INSERT INTO contacts (id, account_id, name, buying_role, stance, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        contacts,
    )
    batch = 20_000
    session_id = 0
    for start in range(0, visits, batch):
        rows_visits, rows_items, rows_snapshots, rows_debriefs = [], [], [], []
        rows_sessions, rows_lines, rows_changes = [], [], []
        for visit_id in range(start + 1, min(visits, start + batch) + 1):
            rep = rng.randrange(REPS)
            account_id = rep * ACCOUNTS_PER_REP + rng.randrange(ACCOUNTS_PER_REP) + 1
            when = stamp(NOW - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)))
            rows_visits.append(
                (visit_id, account_id, rep + 2, 1, when, "best", "minimum", "done", when, when)
            )
            asked = [rng.random() < 0.6 for _ in TYPES]
            for position, spin_type in enumerate(TYPES):
                rows_items.append(
                    (visit_id, position, spin_type, "A question?", 1, asked[position], None)
                )
            for person in range(2):
                contact_id = (account_id - 1) * CONTACTS_PER_ACCOUNT + person + 1
                for phase in ("prep", "debrief"):
                    rows_snapshots.append(
                        (
                            visit_id,
                            contact_id,
                            phase,
                            1,
                            ("decision_maker", "purchaser")[person],
                            when,
                        )
                    )
            outcome = rng.choice(OUTCOMES)
            facts = {
                "situation_asked": int(asked[0]),
                "problem_asked": int(asked[1]),
                "implication_asked": int(asked[2]),
                "need_payoff_asked": int(asked[3]),
                "questions_asked": sum(asked),
                "outcome": outcome,
                "decision_maker_known": True,
                "decision_maker_met": True,
                "coach_known": "coach" in stances[account_id],
                "attendees": 2,
                "contacts_engaged": 2,
                "next_step_dated": True,
                "continuations_in_row": rng.randrange(4),
                "visits_without_stage_move": rng.randrange(6),
                "blockers": stances[account_id].count("blocker"),
            }
            rows_debriefs.append(
                (visit_id, rep + 2, 1, outcome, "next", when, json.dumps(facts), when)
            )
            if rng.random() < 0.1:
                rows_changes.append(
                    ("account", account_id, visit_id, "stable", "deep_partnership", rep + 2, when)
                )
            if visit_id % 50 == 0:
                session_id += 1
                rows_sessions.append((session_id, rep + 2, "debrief", visit_id, "done", when))
                rows_lines += [
                    (session_id, seq, "user" if seq % 2 else "bot", "line " * 20, when)
                    for seq in range(1, 41)
                ]
        connection.executemany(
            "INSERT INTO visits (id, account_id, rep_id, team_id, planned_at, objective_best,"
            " objective_minimum, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows_visits,
        )
        connection.executemany(
            "INSERT INTO spin_items (visit_id, position, spin_type, question, planned, asked,"
            " answer) VALUES (?,?,?,?,?,?,?)",
            rows_items,
        )
        connection.executemany(
            "INSERT INTO stakeholder_snapshots (visit_id, contact_id, phase, attended,"
            " buying_role, created_at) VALUES (?,?,?,?,?,?)",
            rows_snapshots,
        )
        connection.executemany(
            "INSERT INTO debriefs (visit_id, rep_id, team_id, outcome, next_step, next_step_due,"
            " facts, created_at) VALUES (?,?,?,?,?,date(?),?,?)",
            rows_debriefs,
        )
        connection.executemany(
            "INSERT INTO stage_changes (subject, account_id, visit_id, from_stage, to_stage,"
            " changed_by_id, changed_at) VALUES (?,?,?,?,?,?,?)",
            rows_changes,
        )
        connection.executemany(
            "INSERT INTO flow_sessions (id, user_id, flow, visit_id, status, started_at)"
            " VALUES (?,?,?,?,?,?)",
            rows_sessions,
        )
        connection.executemany(
            "INSERT INTO transcript_lines (session_id, seq, speaker, text, created_at)"
            " VALUES (?,?,?,?,?)",
            rows_lines,
        )
        connection.commit()
        print(f"  {min(visits, start + batch):>9,} visits", flush=True)
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()


def timings(run: object, repeat: int) -> tuple[float, float]:
    run()  # type: ignore[operator]  # warm-up: the first run also pays for cold caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1e3)
    samples.sort()
    return statistics.median(samples), samples[
        min(len(samples) - 1, round(0.95 * (len(samples) - 1)))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--db", default="bench-manager.db", help="kept between runs")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    path = Path(args.db).resolve()
    if not path.exists():
        print(f"generating {args.visits:,} visits for {REPS} reps into {path} ...", flush=True)
        generate(path, args.visits)
    url = f"sqlite:///{path}"
    engine = db.make_engine(url)
    playbooks = load_playbooks(shipped_dir("playbooks"))
    settings = load_settings(database_url=url)
    texts = Texts()
    rng = random.Random(11)
    with Session(engine) as session:
        manager = session.exec(select(User).where(User.handle == "manager")).one()
        visit_ids = [
            rng.randrange(1, args.visits + 1) // 50 * 50 or 50 for _ in range(args.repeat)
        ]

        def ctx(**answers: object) -> Ctx:
            return Ctx(
                db=session,
                user=manager,
                language="en",
                playbooks=playbooks,
                now=NOW,
                zone=settings.zone,
                answers=dict(answers),
                labels=lambda key: texts.label(key, "en"),
                settings=settings,
                texts=texts,
            )

        def stats_reply() -> None:
            report = make_report(ctx(period="90"))
            texts.render("stats/report", "en", **report)

        raw = sqlite3.connect(path)
        figures = {
            "baseline: one visit by id": timings(
                lambda: raw.execute(
                    "SELECT * FROM visits WHERE id = ?", (rng.randrange(1, args.visits + 1),)
                ).fetchall(),
                args.repeat,
            ),
            "/team (200 reps)": timings(lambda: team_report(ctx()), max(3, args.repeat // 4)),
            "rep visit list": timings(
                lambda: rep_visits(ctx(rep={"id": str(rng.randrange(2, REPS + 2))})), args.repeat
            ),
            "one record + transcript": timings(
                lambda: record_of(
                    session=session,
                    playbooks=playbooks,
                    visit=session.get_one(Visit, visit_ids[rng.randrange(len(visit_ids))]),
                ),
                args.repeat,
            ),
            "/stats 90 days: figures": timings(
                lambda: team_figures(
                    session=session, playbooks=playbooks, viewer=manager, now=NOW, days=90
                ),
                max(3, args.repeat // 4),
            ),
            "/stats 90 days: whole reply": timings(stats_reply, max(3, args.repeat // 4)),
        }
    engine.dispose()
    base = figures.pop("baseline: one visit by id")
    print(f"\n{args.visits:,} visits, {REPS} reps, SQLite")
    print(f"baseline (one visit by id, sqlite3): p50 {base[0]:.3f} ms, p95 {base[1]:.3f} ms")
    print(f"{'':30}{'p50 ms':>9}{'p95 ms':>9}{'p95/base':>10}{'target p95':>12}")
    for name, (p50, p95) in figures.items():
        target = 500 if name.startswith("/stats") else 50
        verdict = "met" if p95 <= target else "MISSED"
        print(f"{name:30}{p50:9.1f}{p95:9.1f}{p95 / base[1]:9.0f}x{target:>8} ms  {verdict}")


if __name__ == "__main__":
    main()
