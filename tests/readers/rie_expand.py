"""Expand an iCalendar file with python recurring-ical-events (run in .venv-readers).

Usage: rie_expand.py FROM TO < feed.ics ; prints JSON [{uid, start, end, status}, …].
"""

import json
import sys
from datetime import UTC, date, datetime

import icalendar
import recurring_ical_events


def moment(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert isinstance(value, date)
    return value.isoformat()


def main() -> None:
    start, end = (datetime.fromisoformat(arg) for arg in sys.argv[1:3])
    calendar = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
    found = []
    for event in recurring_ical_events.of(calendar).between(start, end):
        found.append(
            {
                "uid": str(event["UID"]),
                "start": moment(event["DTSTART"].dt),
                "end": moment(event["DTEND"].dt),
                "status": str(event.get("STATUS", "CONFIRMED")),
                "summary": str(event.get("SUMMARY", "")),
            }
        )
    json.dump(sorted(found, key=lambda e: (e["start"], e["uid"])), sys.stdout)


if __name__ == "__main__":
    main()
