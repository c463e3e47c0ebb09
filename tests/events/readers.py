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


def _python_reader(script: str, name: str, ics: bytes, start: str, end: str) -> list[dict]:
    """A reader in .venv-readers, fed the calendar on standard input."""
    python = ROOT / ".venv-readers" / "bin" / "python"
    if not python.exists():
        _unavailable(f"{name} is not installed (make readers)")
    result = subprocess.run(
        [str(python), str(READERS / script), start, end],
        input=ics,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def _node_reader(
    script: str, module: str, ics: bytes, start: str, end: str, env=None
) -> list[dict]:
    """A reader under Node.js, given the calendar as a file."""
    node = shutil.which("node")
    if node is None or not (READERS / "node_modules" / module).exists():
        _unavailable(f"Node.js or {module} is missing (make readers, with Node.js installed)")
    with tempfile.NamedTemporaryFile(suffix=".ics") as handle:
        handle.write(ics)
        handle.flush()
        result = subprocess.run(
            [node, str(READERS / script), handle.name, start, end],
            capture_output=True,
            check=True,
            timeout=60,
            env=env,
        )
    return json.loads(result.stdout)


def recurring_ical_events(ics: bytes, start: str, end: str) -> list[dict]:
    return _python_reader("rie_expand.py", "recurring-ical-events", ics, start, end)


def vobject_reader(ics: bytes, start: str, end: str) -> list[dict]:
    return _python_reader("vobject_expand.py", "vobject", ics, start, end)


def ical_js(ics: bytes, start: str, end: str) -> list[dict]:
    return _node_reader("icaljs_expand.mjs", "ical.js", ics, start, end)


def node_ical(ics: bytes, start: str, end: str) -> list[dict]:
    """node-ical: strict about durations (each instance lasts the master's exact DTEND−DTSTART)."""
    # Whole days are read in local time.
    env = {**os.environ, "TZ": "Europe/Paris"}
    return _node_reader("nodeical_expand.mjs", "node-ical", ics, start, end, env=env)


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
