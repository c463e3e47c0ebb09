"""Build the shared calendar data in django-scheduler 0.12 and time the three questions.

Run inside `.venv-peer` (made by `make peer`): `python bench/peer/run.py --out var/bench/peer.json`.
A fresh SQLite database each time; the data and the questions come from `bench/same_data.py`.
Prints and writes one JSON document: for each size, each question's median of 5 in ms.
"""

import argparse
import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")

import django  # noqa: E402

django.setup()

from importlib.metadata import version  # noqa: E402
from itertools import islice  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from schedule.models import Calendar, Event, Rule  # noqa: E402
from schedule.periods import Period  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import same_data  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")


def at(day, moment):
    return datetime.combine(day, moment, tzinfo=PARIS)


def grow(calendar: Calendar, rule: Rule, size: int) -> None:
    """Add series and single events up to `size` of each (bulk: no save() side effect exists)."""
    today = timezone.localdate()
    have = Event.objects.filter(rule=rule).count()
    events = []
    for n in range(have, size):
        first = same_data.series_first_day(n, today)
        start, end = same_data.SERIES_TIMES
        events.append(
            Event(
                title=same_data.series_title(n),
                start=at(first, start),
                end=at(first, end),
                rule=rule,
                calendar=calendar,
            )
        )
        day = same_data.single_day(n, today)
        start, end = same_data.SINGLE_TIMES
        events.append(
            Event(
                title=same_data.single_title(n),
                start=at(day, start),
                end=at(day, end),
                calendar=calendar,
            )
        )
    Event.objects.bulk_create(events, batch_size=500)


def questions(calendar: Calendar) -> dict:
    client = Client()
    feed_url = f"/ical/calendar/{calendar.pk}/"  # its view reads a pk

    def next_30_days():
        # The peer's own filter (as in its `api_occurrences` view), then its Period.
        now = timezone.now()
        end = now + timedelta(days=same_data.WINDOW_DAYS)
        events = calendar.events.filter(start__lte=end).filter(
            Q(end_recurring_period__gte=now) | Q(end_recurring_period__isnull=True)
        )
        occurrences = Period(events, now, end).get_occurrences()
        return [(o.start, o.end, o.event.title) for o in occurrences]

    def first_upcoming():
        found = islice(calendar.occurrences_after(timezone.now()), same_data.UPCOMING)
        return [(o.start, o.event.title) for o in found]

    def feed():
        response = client.get(feed_url)
        assert response.status_code == 200, response.status_code
        return response.content

    return {
        "listing_30_days": same_data.timed(next_30_days),
        "first_20": same_data.timed(first_upcoming),
        "feed": same_data.timed(feed),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(str(s) for s in same_data.SIZES))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "peer.json"))
    args = parser.parse_args()
    database = Path(os.environ.get("PEER_SQLITE_PATH", ROOT / "var" / "bench" / "peer.sqlite3"))
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    calendar = Calendar.objects.create(name="Bench", slug="bench")
    rule = Rule.objects.create(name="Chaque semaine", description="", frequency="WEEKLY")
    report = {"peer": "django-scheduler", "version": version("django-scheduler"), "sizes": {}}
    for size in [int(s) for s in args.sizes.split(",")]:
        grow(calendar, rule, size)
        load_before = os.getloadavg()[0]
        report["sizes"][str(size)] = questions(calendar)
        report["sizes"][str(size)]["load"] = [load_before, os.getloadavg()[0]]
        print(f"peer: {size} series + {size} single events measured", file=sys.stderr)
    text = json.dumps(report, indent=1)
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
