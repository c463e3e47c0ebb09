"""The calendar data and questions that the project and its peer (django-scheduler) share.

Pure Python, no Django: `bench/peer/run.py` imports it inside `.venv-peer`, `bench/engine.py`
inside the project's environment, so both build the very same dates and time the same way.

N weekly series at 14:00–17:00 whose first dates are spread over the past year, plus N single
events at 10:00–12:00 over the next year (Europe/Paris wall clock). Event `n`'s dates depend on
`n` alone, so growing from 100 to 1,000 keeps the first hundred as they were.
"""

import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from datetime import time as clock

SIZES = (100, 1000)
RUNS = 5  # median of 5
WINDOW_DAYS = 30  # « every occurrence of the next 30 days »
UPCOMING = 20  # « first 20 upcoming occurrences »
SERIES_TIMES = (clock(14), clock(17))
SINGLE_TIMES = (clock(10), clock(12))


def series_first_day(number: int, today: date) -> date:
    """Within the past year, yesterday at the latest."""
    return today - timedelta(days=random.Random(f"series-{number}").randint(1, 365))


def single_day(number: int, today: date) -> date:
    """Within the next year, tomorrow at the earliest."""
    return today + timedelta(days=random.Random(f"single-{number}").randint(1, 365))


def series_title(number: int) -> str:
    return f"Atelier hebdomadaire n° {number}"


def single_title(number: int) -> str:
    return f"Sortie n° {number}"


def timed(
    question: Callable[[], object],
    runs: int = RUNS,
    setup: Callable[[], object] | None = None,
) -> dict:
    """Run once to warm up, then `runs` times: the median and every figure, in ms.

    `setup` runs before each, untimed (the project clears its cache there for a cold answer;
    the peer has no cache to clear).
    """
    if setup:
        setup()
    size = _size(question())
    timings = []
    for _ in range(runs):
        if setup:
            setup()
        started = time.perf_counter()
        question()
        timings.append((time.perf_counter() - started) * 1000)
    return {"ms": statistics.median(timings), "runs_ms": timings, "items": size}


def _size(result: object) -> int | None:
    if isinstance(result, bytes | str):
        return len(result)
    try:
        return len(result)  # type: ignore[arg-type]
    except TypeError:
        return None
