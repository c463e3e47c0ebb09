"""Run the feed through independent iCalendar readers and normalise what they expand."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

READERS = Path(__file__).resolve().parents[1] / "readers"
ROOT = READERS.parents[1]


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_READERS") == "1":
        pytest.fail(f"REQUIRE_READERS=1 but an iCalendar reader is missing: {reason}")
    pytest.skip(reason=reason)


def recurring_ical_events(ics: bytes, start: str, end: str) -> list[dict]:
    python = ROOT / ".venv-readers" / "bin" / "python"
    if not python.exists():
        _unavailable("recurring-ical-events is not installed (make readers)")
    result = subprocess.run(
        [str(python), str(READERS / "rie_expand.py"), start, end],
        input=ics,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def ical_js(ics: bytes, start: str, end: str) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (READERS / "node_modules" / "ical.js").exists():
        _unavailable("Node.js or ical.js is missing (make readers, with Node.js installed)")
    with tempfile.NamedTemporaryFile(suffix=".ics") as handle:
        handle.write(ics)
        handle.flush()
        result = subprocess.run(
            [node, str(READERS / "icaljs_expand.mjs"), handle.name, start, end],
            capture_output=True,
            check=True,
            timeout=60,
        )
    return json.loads(result.stdout)


def node_ical(ics: bytes, start: str, end: str) -> list[dict]:
    """node-ical: strict about durations (each instance lasts the master's exact DTEND−DTSTART)."""
    node = shutil.which("node")
    if node is None or not (READERS / "node_modules" / "node-ical").exists():
        _unavailable("Node.js or node-ical is missing (make readers, with Node.js installed)")
    with tempfile.NamedTemporaryFile(suffix=".ics") as handle:
        handle.write(ics)
        handle.flush()
        result = subprocess.run(
            [node, str(READERS / "nodeical_expand.mjs"), handle.name, start, end],
            capture_output=True,
            check=True,
            timeout=60,
            env={**os.environ, "TZ": "Europe/Paris"},  # whole days are read in local time
        )
    return json.loads(result.stdout)


def vobject_reader(ics: bytes, start: str, end: str) -> list[dict]:
    python = ROOT / ".venv-readers" / "bin" / "python"
    if not python.exists():
        _unavailable("vobject is not installed (make readers)")
    result = subprocess.run(
        [str(python), str(READERS / "vobject_expand.py"), start, end],
        input=ics,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


# Four independent implementations: Thunderbird's, two Python ones, and a strict Node one.
ALL_READERS = (recurring_ical_events, ical_js, node_ical, vobject_reader)


def as_set(found: list[dict]) -> set[tuple]:
    return {(e["start"], e["end"], e["status"]) for e in found}


def site_set(occurrences) -> set[tuple]:
    """The portal's occurrences in the readers' terms."""

    def moment(value, all_day):
        if all_day:
            from events.calendar.schedule import PARIS

            return value.astimezone(PARIS).date().isoformat()
        from datetime import UTC

        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        (
            moment(o.start, o.all_day),
            moment(o.end, o.all_day),
            "CANCELLED" if o.status == "cancelled" else "CONFIRMED",
        )
        for o in occurrences
    }
