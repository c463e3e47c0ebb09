"""Load runs against gunicorn + PostgreSQL + Redis, on the data of bench.pages (or the demo).

Run by the orchestrator as `python -m bench.load` with the PostgreSQL bench environment. In one
run, against one gunicorn (bench/settings.py: production plus a plain view):

1. throughput, visitors without pauses: the plain Django view, then cached public pages, 50
   users each; the ratio of their requests per second;
2. 50 tenants, then 200 tenants, reading (0.5–2 s between requests): p50/p95 per request,
   errors; meanwhile /healthz is polled twice a second (any non-200 is a health failure,
   anything but « ok » with a closed circuit means the cache switched itself off) and a
   residence page is sampled for `Cache-Status: portal; hit`.
"""

import argparse
import csv
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request

from bench.env import PYTHON, ROOT, VAR, setup_django
from bench.server import gunicorn


def urls() -> dict:
    from bench import data
    from events.models import AgendaPage, EventPage

    places = data.residences()
    events = EventPage.objects.live().filter(slug__startswith=data.EVENT_PREFIX)
    if not events.exists():  # no bench data: the demo's events
        events = EventPage.objects.live()
    agenda = AgendaPage.objects.live().get().url
    event_urls = [e.url for e in events.order_by("?")[:200]]
    residence_urls = [r.url for r in places]
    return {
        "agenda": agenda,
        "slugs": [r.slug for r in places],
        "residences": residence_urls,
        "events": event_urls,
        "feeds": [f"/calendrier/residence/{r.slug}.ics" for r in places],
        "pages": ["/", agenda, *residence_urls, *event_urls[:50]],
    }


def visited(urls: dict) -> list[str]:
    """Every URL a `Tenant` or `CachedPages` visitor of bench/locustfile.py may ask for."""
    agenda = urls["agenda"]
    return [
        agenda,
        f"{agenda}?periode=semaine",
        *(f"{agenda}?residence={slug}" for slug in urls["slugs"]),
        *urls["residences"],
        *urls["events"],
        *urls["feeds"],
        *urls["pages"],
    ]


def aggregated(prefix: str) -> dict:
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    per_name = {
        name: {
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "rps": float(r["Requests/s"]),
            "p50": float(r["50%"]),
            "p95": float(r["95%"]),
        }
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


class Watcher(threading.Thread):
    """Polls /healthz and samples a page's Cache-Status while a phase runs."""

    def __init__(self, base: str, page: str):
        super().__init__(daemon=True)
        self.base, self.page = base, page
        self.stop = threading.Event()
        self.health = {"probes": 0, "failures": 0, "not_ok": 0, "slowest_ms": 0.0}
        self.samples = {"pages": 0, "hits": 0}

    def run(self) -> None:
        while not self.stop.wait(0.5):
            start = time.perf_counter()
            self.health["probes"] += 1
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=10) as response:
                    body = json.loads(response.read())
                if body.get("status") != "ok" or body.get("circuit", "closed") != "closed":
                    self.health["not_ok"] += 1
            except (urllib.error.URLError, OSError, ValueError):
                self.health["failures"] += 1
            took = (time.perf_counter() - start) * 1000
            self.health["slowest_ms"] = max(self.health["slowest_ms"], took)
            try:
                with urllib.request.urlopen(self.base + self.page, timeout=10) as response:
                    self.samples["pages"] += 1
                    status = response.headers.get("Cache-Status", "")
                    self.samples["hits"] += status == "portal; hit"
            except (urllib.error.URLError, OSError):
                pass


def phase(base: str, url_file, name: str, user: str, users: int, seconds: int, wait: str):
    prefix = str(VAR / f"locust-{name}")
    watcher = Watcher(base, json.loads(url_file.read_text())["residences"][0])
    watcher.start()
    subprocess.run(
        [
            PYTHON,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            user,
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(10, users // 5)),
            "-t",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, "BENCH_URLS": str(url_file), "BENCH_WAIT": wait},
        check=False,
        stdout=subprocess.DEVNULL,
    )
    watcher.stop.set()
    watcher.join()
    result = aggregated(prefix)
    result.update(users=users, seconds=seconds, health=watcher.health, cache=watcher.samples)
    print(f"load {name}: {result['rps']:.1f} req/s p50 {result['p50']:.0f} p95 {result['p95']:.0f}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=40, help="each tenant phase")
    parser.add_argument("--throughput-seconds", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    url_file = VAR / "load-urls.json"
    url_file.write_text(json.dumps(urls()))
    server_env = dict(os.environ)
    server_env.pop("TASKS_BACKEND", None)
    server_env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    report: dict = {}
    with gunicorn(server_env, "load") as base:
        # As after a first visitor of each: the targets are about pages served from the cache
        # (bench.pages measures the cold builds). Every URL of the tenant mix, then the pages.
        for url in visited(json.loads(url_file.read_text())):
            urllib.request.urlopen(base + url, timeout=60).read()
        t = args.throughput_seconds
        report["plain"] = phase(base, url_file, "plain", "Plain", 50, t, "0")
        report["cached"] = phase(base, url_file, "cached", "CachedPages", 50, t, "0")
        for users in (50, 200):
            report[f"tenants_{users}"] = phase(
                base, url_file, f"tenants-{users}", "Tenant", users, args.seconds, "0.5,2"
            )
    report["ratio"] = report["cached"]["rps"] / report["plain"]["rps"]
    print(f"load: cached pages / plain view = {report['ratio']:.2f}")
    (VAR / "load.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
