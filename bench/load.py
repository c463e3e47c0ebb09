"""The 60-second locust run against gunicorn + PostgreSQL + Redis, on the data of bench.pages.

Run by the orchestrator as `python -m bench.load` with the PostgreSQL bench environment.
"""

import argparse
import csv
import json
import os
import subprocess

from bench.env import PYTHON, ROOT, VAR, setup_django
from bench.server import gunicorn


def urls() -> dict:
    from bench import data
    from events.models import AgendaPage, EventPage

    places = data.residences()
    events = EventPage.objects.live().filter(slug__startswith=data.EVENT_PREFIX)
    return {
        "agenda": AgendaPage.objects.live().get().url,
        "slugs": [r.slug for r in places],
        "residences": [r.url for r in places],
        "events": [e.url for e in events.order_by("?")[:200]],
        "feeds": [f"/calendrier/residence/{r.slug}.ics" for r in places],
    }


def aggregated(prefix: str) -> dict:
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    per_name = {
        name: {"requests": int(r["Request Count"]), "p50": float(r["50%"]), "p95": float(r["95%"])}
        for name, r in rows.items()
        if name != "Aggregated"
    }
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "per_name": per_name,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    setup_django()
    url_file = VAR / "load-urls.json"
    url_file.write_text(json.dumps(urls()))
    server_env = dict(os.environ)
    server_env.pop("TASKS_BACKEND", None)
    prefix = str(VAR / "locust")
    with gunicorn(server_env, "load") as base:
        subprocess.run(
            [
                PYTHON,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                "10",
                "-t",
                f"{args.seconds}s",
                "--host",
                base,
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "BENCH_URLS": str(url_file)},
            check=False,
        )
    report = aggregated(prefix)
    print(f"load: {report}")
    (VAR / "load.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
