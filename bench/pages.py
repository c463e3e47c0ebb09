"""In-process timings of the agenda, residence, event and feed URLs at growing sizes.

Run by the orchestrator as `python -m bench.pages` with a PostgreSQL + Redis environment from
`bench.env.base_env`. Builds the data incrementally (100 → 1,000 → 10,000 events) and writes
one JSON document. "cold": the cache is cleared before each request; "warm": the same request
again with the cache populated. Query counts come from one extra captured request per case.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.env import VAR, setup_django

RUNS = 7


def measure(client, url: str, cold: bool, runs: int, headers: dict | None = None) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        cache.clear()
    else:
        # Populate whatever the code caches with a plain request, as a calendar client's first
        # fetch does (a 304 is not something a cache keeps).
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    # Read now: the next request's `request_started` empties the connection's query log.
    queries = list(captured.captured_queries)
    timings = []
    for _ in range(runs):
        if cold:
            cache.clear()
        start = time.perf_counter()
        client.get(url, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
    return {
        "ms": statistics.median(timings),
        "ms_min": min(timings),
        "queries": len(queries),
        "db_ms": sum(float(q["time"]) for q in queries) * 1000,
        "status": response.status_code,
        "bytes": len(response.content),
        "slowest": [{"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in slowest],
    }


def targets() -> dict[str, tuple[str, dict]]:
    """The URLs measured, with the request headers of each case."""
    from django.test import Client

    from bench import data
    from events.models import AgendaPage, EventPage
    from portal.models import StandardPage

    client = Client(HTTP_HOST="127.0.0.1")
    residence = data.residences()[0]
    feed = f"/calendrier/residence/{residence.slug}.ics"
    etag = client.get(feed)["ETag"]
    return {
        "floor": (StandardPage.objects.get(slug=data.FLOOR_SLUG).url, {}),
        "agenda": (AgendaPage.objects.live().get().url, {}),
        "residence": (residence.url, {}),
        "event": (EventPage.objects.get(slug=f"{data.EVENT_PREFIX}0").url, {}),
        "feed": (feed, {}),
        "feed_304": (feed, {"If-None-Match": etag}),
    }


def measure_all(runs: int) -> dict:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for name, (url, headers) in targets().items():
        client.get(url, headers=headers)  # load templates and code once
        results[name] = {
            "url": url,
            "cold": measure(client, url, cold=True, runs=runs, headers=headers),
            "warm": measure(client, url, cold=False, runs=runs, headers=headers),
        }
    return results


def explain(sql: str) -> list[str]:
    """EXPLAIN ANALYZE of a captured query: the plan lines that show scans, sorts and time."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return []
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    keep = ("Scan", "Sort", "Aggregate", "Execution Time", "Rows Removed", "Join", "Limit")
    return [line for line in lines if any(word in line for word in keep)][:14]


def hot_spots(results: dict) -> list[dict]:
    """The slowest captured queries of each page, cold, with their plans."""
    spots = []
    for name, result in results.items():
        if name == "floor":
            continue
        for query in result["cold"]["slowest"][:2]:
            spots.append({"page": name, **query, "plan": explain(query["sql"])})
    return sorted(spots, key=lambda s: -s["ms"])


def versions() -> dict:
    import platform
    import sqlite3

    import django
    from django.db import connection

    import wagtail

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "postgresql": postgres,
        "sqlite": sqlite3.sqlite_version,
    }


def analyze() -> None:
    """Fresh planner statistics and visibility maps, as autovacuum gives a database that grew
    slowly (index-only scans need the latter on PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--out", default=str(VAR / "pages.json"))
    args = parser.parse_args()
    setup_django()
    from bench import data
    from events.models import Occurrence

    print("pages: building the base data")
    data.build_base()
    data.check_fast_path()
    report = {"sizes": {}, "versions": versions()}
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        started = time.perf_counter()
        data.grow(size)
        analyze()
        print(f"pages: {size} events built in {time.perf_counter() - started:.0f} s; measuring")
        results = measure_all(args.runs)
        report["sizes"][str(size)] = {
            "occurrences": Occurrence.objects.count(),
            "pages": results,
        }
        if size == sizes[-1]:
            report["hot_spots"] = hot_spots(results)
    Path(args.out).write_text(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
