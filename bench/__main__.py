"""`python -m bench` (or `make bench`): build scratch data, measure, print and save the tables.

Steps, each in its own process (Django settings are fixed per process):
pages (PostgreSQL + Redis, in process) → load (locust, on the same data) → sign-ups on
SQLite, then on PostgreSQL (the 400-tenant rush, then mixed bookings: sign-ups, changes,
cancellations and capacity changes at once) → report (bench/RESULTS.md).
"""

import argparse
import os
import time

from bench import report
from bench.env import PYTHON, ROOT, VAR, base_env, prepare, run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="100,1000,10000", help="event counts, ascending")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per figure")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-signups", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    # The calendar engine against django-scheduler (bench/peer/, in .venv-peer) on shared data.
    peer = parser.add_mutually_exclusive_group()
    peer.add_argument("--peer", dest="peer", action="store_true", default=True)
    peer.add_argument("--skip-peer", dest="peer", action="store_false")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--mixed-ops", type=int, default=600, help="HTTP operations, mixed phase")
    parser.add_argument("--mixed-seconds", type=int, default=180, help="mixed phase time limit")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    for skipped, name in (
        (args.skip_pages, "pages.json"),
        (args.skip_load, "load.json"),
        (args.skip_signups, "signups-sqlite.json"),
        (args.skip_signups, "signups-postgres.json"),
    ):
        if not skipped:
            (VAR / name).unlink(missing_ok=True)
    # Building pages runs Wagtail's index tasks in the process, as `make run` does.
    build_env = base_env("postgres", TASKS_BACKEND="immediate")
    if not args.skip_pages:
        print("== PostgreSQL scratch database, pages")
        prepare("postgres")
        run(
            [PYTHON, "-m", "bench.pages", "--sizes", args.sizes, "--runs", str(args.runs)],
            build_env,
        )
    if not args.skip_load:
        print("== load run")
        run([PYTHON, "-m", "bench.load", "--seconds", str(args.load_seconds)], build_env)
    if not args.skip_signups:
        print("== sign-ups on SQLite (no Redis: database rate limit, file cache)")
        prepare("sqlite")
        sqlite_env = base_env(
            "sqlite", redis=False, TASKS_BACKEND="immediate", CACHE_DIR=str(VAR / "cache")
        )
        mixed = ["--mixed-ops", str(args.mixed_ops), "--mixed-seconds", str(args.mixed_seconds)]
        run([PYTHON, "-m", "bench.signups", "--engine", "sqlite", *mixed], sqlite_env)
        print("== sign-ups on PostgreSQL")
        run([PYTHON, "-m", "bench.signups", "--engine", "postgres", *mixed], build_env)
    if args.peer:
        run_peer()
    report.main()


def settle(limit: float = 1.0, longest: int = 180) -> None:
    """Wait until the previous step's servers have gone quiet (1-minute load average under
    `limit`, at most `longest` seconds): the peer and the engine are timed in the same state."""
    waited = 0
    while os.getloadavg()[0] >= limit and waited < longest:
        time.sleep(5)
        waited += 5
    print(f"   (load average {os.getloadavg()[0]:.2f} after waiting {waited} s)")


def run_peer() -> None:
    """The peer on SQLite in its own venv, then the engine on SQLite and PostgreSQL."""
    settle()
    print("== peer (django-scheduler, .venv-peer) on SQLite")
    peer_python = str(ROOT / ".venv-peer" / "bin" / "python")
    run(
        [peer_python, "bench/peer/run.py", "--out", str(VAR / "peer.json")],
        {
            "PATH": os.environ.get("PATH", ""),
            "PEER_SQLITE_PATH": str(VAR / "peer.sqlite3"),
        },
        quiet=True,
    )
    for engine in ("sqlite", "postgres"):
        print(f"== calendar engine on {engine}, same data")
        prepare(engine)
        settle()
        env = base_env(
            engine,
            redis=engine == "postgres",
            TASKS_BACKEND="immediate",
            CACHE_DIR=str(VAR / "cache"),
        )
        run([PYTHON, "-m", "bench.engine", "--engine", engine], env)


if __name__ == "__main__":
    main()
