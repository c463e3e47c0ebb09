"""The direct VEVENT writer gives, byte for byte, what icalendar's Event gives for the same data."""

import random
from datetime import UTC, date, datetime

import pytest
from icalendar import Event, vRecur
from icalendar.parser import foldline as icalendar_foldline

from events.calendar.schedule import PARIS
from events.calendar.vevent import VEvent, foldline, rule_value

TEXTS = [
    "Atelier tricot",
    'Goûter, jeux; et « café » \\ chez "Nadia"',
    "Ligne un\nligne deux\r\nligne trois\rquatre",
    "Fête 🎉 des voisins " * 6,
    "x" * 74,
    "x" * 75,
    "é" * 40,
    ("a" * 72) + "\\,b",
    ("a" * 73) + ";^b",
]
RULES = [
    {"FREQ": "WEEKLY", "BYDAY": ["TU"], "UNTIL": datetime(2028, 6, 6, 12, tzinfo=UTC)},
    {"FREQ": "WEEKLY", "INTERVAL": 2, "BYDAY": ["MO", "TH"], "COUNT": 12},
    {"FREQ": "MONTHLY", "BYDAY": "-1TU", "UNTIL": date(2027, 5, 1)},
    {"FREQ": "MONTHLY", "BYMONTHDAY": 31},
]


def reference(text: str, rule: dict, all_day: bool) -> bytes:
    event = Event()
    event.add("uid", "event-1@trait-d-union.portail")
    event.add("dtstamp", datetime(2026, 12, 2, 7, 5, 14, tzinfo=UTC))
    event.add("last-modified", datetime(2026, 12, 2, 7, 5, 14, tzinfo=UTC))
    event.add("sequence", 3)
    event.add("summary", text)
    start = date(2026, 5, 1) if all_day else datetime(2026, 10, 20, 14, tzinfo=PARIS)
    end = date(2026, 5, 2) if all_day else datetime(2026, 10, 20, 17, tzinfo=PARIS)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("rrule", vRecur({k.lower(): v for k, v in rule.items()}))
    event.add("exdate", start)
    event.add("recurrence-id", start)
    event.add("status", "CANCELLED")
    event.add("description", f"{text}\n\nhttps://example.org/agence-nord/{'a' * 60}/")
    event.add("location", text)
    event.add("url", f"https://example.org/agence-nord/{'a' * 60}/")
    event.add("transp", "OPAQUE")
    return event.to_ical()


def written(text: str, rule: dict, all_day: bool) -> bytes:
    event = VEvent()
    event.text("UID", "event-1@trait-d-union.portail")
    event.moment("DTSTAMP", datetime(2026, 12, 2, 7, 5, 14, tzinfo=UTC))
    event.moment("LAST-MODIFIED", datetime(2026, 12, 2, 7, 5, 14, tzinfo=UTC))
    event.plain("SEQUENCE", 3)
    event.text("SUMMARY", text)
    start = date(2026, 5, 1) if all_day else datetime(2026, 10, 20, 14, tzinfo=PARIS)
    end = date(2026, 5, 2) if all_day else datetime(2026, 10, 20, 17, tzinfo=PARIS)
    event.moment("DTSTART", start)
    event.moment("DTEND", end)
    event.plain("RRULE", rule_value(rule))
    event.moment("EXDATE", start)
    event.moment("RECURRENCE-ID", start)
    event.plain("STATUS", "CANCELLED")
    event.text("DESCRIPTION", f"{text}\n\nhttps://example.org/agence-nord/{'a' * 60}/")
    event.text("LOCATION", text)
    event.plain("URL", f"https://example.org/agence-nord/{'a' * 60}/")
    event.plain("TRANSP", "OPAQUE")
    return event.to_ical().encode()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("all_day", [False, True])
@pytest.mark.parametrize("rule", RULES, ids=lambda r: rule_value(r)[:30])
@pytest.mark.parametrize("text", TEXTS, ids=lambda t: repr(t)[:20])
def test_same_bytes_as_icalendar(text, rule, all_day):
    assert written(text, rule, all_day) == reference(text, rule, all_day)


def random_lines(count: int):
    rng = random.Random(75)
    alphabet = "ab ,;\\^:é€🎉"
    for _ in range(count):
        ascii_only = rng.random() < 0.5
        pool = "ab ,;\\^:x" if ascii_only else alphabet
        yield "".join(rng.choice(pool) for _ in range(rng.randint(60, 400)))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_folding_matches_icalendar_on_many_lines():
    for line in random_lines(3000):
        assert foldline(line) == icalendar_foldline(line), repr(line)
