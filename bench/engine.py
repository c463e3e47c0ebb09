"""The calendar engine on the data it shares with its peer: the three questions, and the agenda.

Run by the orchestrator as `python -m bench.engine --engine sqlite|postgres` with an environment
from `bench.env.base_env`, on a fresh scratch database. Builds `bench/same_data.py`'s data as
published EventPages (the fast publish path of `bench/data.py`), then for each size times, median
of 5: every occurrence of the next 30 days with its event, the first 20 upcoming, the whole
events feed and the agenda page, both cold (the cache cleared before each request, untimed). Also the query
count of each, and the query plan of the first-20 query. Writes var/bench/engine-<engine>.json.
"""

import argparse
import json
import os
import time
from datetime import timedelta

from bench import same_data
from bench.env import VAR, setup_django

SLUG_PREFIX = "meme-"


def grow(size: int, chunk: int = 250) -> None:
    """Publish series and single events up to `size` of each, spread over the residences."""
    from django.db import transaction
    from django.utils import timezone

    from bench import data
    from events.calendar.schedule import Frequency
    from events.models import EventCategory, EventPage

    places = data.residences()
    category = EventCategory.objects.order_by("pk").first()
    today = timezone.localdate()
    have = EventPage.objects.filter(slug__startswith=f"{SLUG_PREFIX}serie-").count()
    for first in range(have, size, chunk):
        by_parent: dict[int, list] = {}
        for n in range(first, min(first + chunk, size)):
            for kind, day, (start, end), title in (
                (
                    "serie",
                    same_data.series_first_day(n, today),
                    same_data.SERIES_TIMES,
                    same_data.series_title(n),
                ),
                (
                    "sortie",
                    same_data.single_day(n, today),
                    same_data.SINGLE_TIMES,
                    same_data.single_title(n),
                ),
            ):
                parent = places[n % len(places)]
                page = EventPage(
                    slug=f"{SLUG_PREFIX}{kind}-{n}",
                    title=title,
                    category=category,
                    summary="Une animation ouverte à tous les locataires.",
                    first_date=day,
                    start_time=start,
                    end_time=end,
                    # Never "": that is no choice, and it read as a monthly rule.
                    frequency=Frequency.WEEKLY if kind == "serie" else Frequency.NONE,
                    venue_residence=parent,
                    first_published_at=timezone.now(),
                    last_published_at=timezone.now(),
                )
                by_parent.setdefault(parent.pk, []).append(page)
        with transaction.atomic():
            for parent in places:
                pages = by_parent.get(parent.pk, [])
                if pages:
                    parent.refresh_from_db()
                    data.bulk_add_children(parent, pages)
                    for page in pages:
                        data.announce(page)


def questions() -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events.models import AgendaPage, Occurrence

    client = Client(HTTP_HOST="127.0.0.1")
    agenda_url = AgendaPage.objects.live().get().url

    def next_30_days():
        now = timezone.now()
        return Occurrence.objects.events().live().listing(now, now + timedelta(days=30))

    def first_upcoming():
        return list(Occurrence.objects.events().live().upcoming().lines()[: same_data.UPCOMING])

    def cold_get(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response.content

        return get

    # Cold: the cache is cleared before each request, outside the time measured (clearing a
    # file cache of thousands of entries is no part of answering).
    measured = {
        "listing_30_days": (next_30_days, None),
        "first_20": (first_upcoming, None),
        "feed": (cold_get("/calendrier/evenements.ics"), cache.clear),
        "agenda": (cold_get(agenda_url), cache.clear),
    }
    results = {}
    for name, (question, setup) in measured.items():
        result = same_data.timed(question, setup=setup)
        if setup:
            setup()
        with CaptureQueriesContext(connection) as captured:
            question()
        result["queries"] = len(captured.captured_queries)
        results[name] = result
    return results


def feed_check() -> dict:
    """The feed as served against the feed built from every date: they must be the same bytes.

    Served, a feed reads only the dates that differ from each rule (the fit the sync recorded);
    with no fit at all it reads every date, as before that existed.
    """
    from unittest import mock

    from django.core.cache import cache
    from django.test import Client

    from events.calendar import feeds

    client = Client(HTTP_HOST="127.0.0.1")

    def body() -> bytes:
        cache.clear()
        return client.get("/calendrier/evenements.ics").content

    served = body()
    with mock.patch.object(feeds, "fitted_exdates", lambda page, version: None):
        whole = body()
    return {
        "same_as_every_date": served == whole,
        "vevents": served.count(b"BEGIN:VEVENT"),
        "bytes": len(served),
    }


def upcoming_plan() -> list[str]:
    """How the database answers the first-20 query (EXPLAIN; ANALYZE on PostgreSQL)."""
    from django.db import connection

    from events.models import Occurrence

    query = Occurrence.objects.events().live().upcoming().lines()[: same_data.UPCOMING]
    sql, params = query.query.sql_with_params()
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    return [
        " | ".join(str(c) for c in row) if connection.vendor == "sqlite" else row[0] for row in rows
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--sizes", default=",".join(str(s) for s in same_data.SIZES))
    args = parser.parse_args()
    setup_django()
    from bench import data
    from bench.pages import analyze
    from events.models import Occurrence

    data.build_base()
    report: dict = {"engine": args.engine, "sizes": {}}
    for size in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        grow(size)
        analyze()
        singles = Occurrence.objects.filter(page__slug__startswith=f"{SLUG_PREFIX}sortie-")
        assert singles.count() == size, "each single event has exactly one date"
        print(
            f"engine ({args.engine}): {size} + {size} events in "
            f"{time.perf_counter() - started:.0f} s; measuring"
        )
        load_before = os.getloadavg()[0]
        report["sizes"][str(size)] = {
            "occurrences": Occurrence.objects.count(),
            "off_rule": Occurrence.objects.filter(follows_rule=False).count(),
            "questions": questions(),
            "upcoming_plan": upcoming_plan(),
            "feed_check": feed_check(),
            # 1-minute load average before and after: another process sharing the cores shows.
            "load": [load_before, os.getloadavg()[0]],
        }
    out = VAR / f"engine-{args.engine}.json"
    out.write_text(json.dumps(report, indent=1, default=str))
    print(
        json.dumps(
            {
                s: {q: round(v["ms"], 1) for q, v in r["questions"].items()}
                for s, r in report["sizes"].items()
            }
        )
    )


if __name__ == "__main__":
    main()
