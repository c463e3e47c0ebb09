"""Expand an iCalendar file with vobject (its own parser and dateutil rrulesets).

Usage: vobject_expand.py FROM TO < feed.ics ; prints JSON [{uid, start, end, status}, …].
vobject expands a master (RRULE, EXDATE) but leaves overrides to the caller: an instance whose
RECURRENCE-ID has a component of its own is replaced by that component, as RFC 5545 says.
"""

import json
import sys
from datetime import UTC, date, datetime

import vobject


def moment(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert isinstance(value, date)
    return value.isoformat()


def text(component, name, default=""):
    child = getattr(component, name, None)
    return child.value if child is not None else default


def main() -> None:
    start, end = (datetime.fromisoformat(arg) for arg in sys.argv[1:3])
    calendar = vobject.readOne(sys.stdin.read())
    by_uid: dict[str, list] = {}
    for event in calendar.vevent_list:
        by_uid.setdefault(event.uid.value, []).append(event)
    found = []

    def push(uid, first, last, component):
        as_utc = (lambda v: v.astimezone(UTC)) if isinstance(first, datetime) else (lambda v: v)
        low = start if isinstance(first, datetime) else start.date()
        high = end if isinstance(first, datetime) else end.date()
        if as_utc(last) <= low or as_utc(first) >= high:
            return
        found.append(
            {
                "uid": uid,
                "start": moment(first),
                "end": moment(last),
                "status": text(component, "status", "CONFIRMED"),
                "summary": text(component, "summary"),
            }
        )

    for uid, components in by_uid.items():
        masters = [c for c in components if not hasattr(c, "recurrence_id")]
        overrides = {c.recurrence_id.value: c for c in components if hasattr(c, "recurrence_id")}
        for master in masters:
            first = master.dtstart.value
            duration = (
                master.dtend.value.astimezone(UTC) - first.astimezone(UTC)
                if isinstance(first, datetime)
                else master.dtend.value - first
            )
            if not hasattr(master, "rrule"):
                push(uid, first, master.dtend.value, master)
                continue
            for instance in master.getrruleset(addRDate=True):
                if not isinstance(first, datetime):  # all-day: dateutil gives midnights
                    instance = instance.date()
                    if instance >= end.date():
                        break
                    if instance not in overrides:
                        push(uid, instance, instance + duration, master)
                    continue
                if instance >= end:
                    break
                if instance not in overrides:
                    # The exact duration (RFC 5545), not wall-clock arithmetic across a change.
                    push(uid, instance, instance.astimezone(UTC) + duration, master)
        for override in overrides.values():
            push(uid, override.dtstart.value, override.dtend.value, override)
    json.dump(sorted(found, key=lambda e: (e["start"], e["uid"])), sys.stdout)


if __name__ == "__main__":
    main()
