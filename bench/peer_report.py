"""The « Peer » section of bench/RESULTS.md and its targets, from the peer's and the engine's runs.

var/bench/peer.json (django-scheduler, `bench/peer/run.py`) and var/bench/engine-<engine>.json
(`bench/engine.py`): the same data (`bench/same_data.py`), the same three questions at each
size, and the project's agenda. The targets compare the two sides at the largest size.
"""

QUESTIONS = {
    "listing_30_days": "every occurrence of the next 30 days, sorted, with its event",
    "first_20": "the first 20 upcoming",
    "feed": "the whole-calendar iCal feed, cold",
}
ENGINE_ONLY = {"agenda": "agenda page `/agenda/`, cold"}
ENGINES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
# A 1-minute load average above this on the 2-core machine means other work shared it.
BUSY = 1.0

# Why a target can be missed, and what would close it: printed for each target missed.
WHY = {
    "listing": (
        "About 10 µs a date, most of it turning SQLite's text timestamps into aware datetimes "
        "(three a date, through Django's converters). Reading fewer datetime columns for a "
        "listing, or PostgreSQL (native timestamps), would widen the margin."
    ),
    "first_20": (
        "The first-20 query seeks the (kind, start, id) index from the earliest start still in "
        "progress and stops after 20 rows (its plan is below); a growth means the plan changed "
        "(statistics, or a filter the index does not cover)."
    ),
    "feed": (
        "What is left is Python per series: about 100 µs to read its line, make its URL and "
        "write its VEVENT (DESCRIPTION, LOCATION, URL, SEQUENCE… that the peer does not write). "
        "Keeping each series' VEVENT text between builds would close it, at the price of one "
        "more cache to keep true (a partner's address, a residence's name)."
    ),
    "feed_correct": (
        "The rule fit the sync recorded disagrees with the rows: some path wrote or deleted "
        "dates without the sync (`events/calendar/occurrences.py`); re-sync with "
        "`extend_occurrences` and find that path."
    ),
    "agenda": (
        "The agenda's queries are the same at both sizes, so one of them costs more with more "
        "dates: look at its plan (the count stops at 200, the dates are an index seek)."
    ),
    "queries": "A query per series or per date crept in: the query-count tests should fail too.",
}


def times(result: dict) -> str:
    return f"{result['ms']:.1f} ms"


def ratio_text(peer_ms: float, project_ms: float) -> str:
    if project_ms <= peer_ms:
        return f"{peer_ms / project_ms:.1f}× faster"
    return f"{project_ms / peer_ms:.1f}× slower"


def load_note(peer: dict, engines: dict) -> str:
    loads = [value for r in peer["sizes"].values() for value in r.get("load", [])]
    for run in engines.values():
        loads += [value for r in run["sizes"].values() for value in r.get("load", [])]
    if not loads:
        return ""
    top = max(loads)
    if top > BUSY:
        return (
            f"Other work shared the two cores during these measures (1-minute load average up "
            f"to {top:.1f}): single figures can move by a third from one run to the next."
        )
    return f"The machine was otherwise quiet (1-minute load average at most {top:.1f})."


def section(peer: dict | None, engines: dict[str, dict]) -> list[str]:
    if not peer or "sqlite" not in engines:
        return []
    sizes = list(peer["sizes"])
    engine = engines["sqlite"]
    out = [
        "",
        f"## Peer: django-scheduler {peer['version']} on the same data (median of 5)",
        "",
        "Both sides build `bench/same_data.py`'s data — N weekly series at 14:00–17:00 whose "
        "first dates are spread over the past year, and N single events over the next year — "
        "and answer the same questions. The peer runs in its own `.venv-peer` on SQLite; the "
        "project on SQLite beside it, then on PostgreSQL + Redis. Cold: the project's cache is "
        "cleared before each request (not timed; the peer has no cache).",
    ]
    note = load_note(peer, engines)
    if note:
        out += ["", note]
    head = " | ".join(f"N = {int(s):,}: peer / project" for s in sizes)
    out += [
        "",
        f"| question (SQLite) | {head} | project at {int(sizes[-1]):,} |",
        "|---|" + "---|" * len(sizes) + "---|",
    ]
    for name, label in QUESTIONS.items():
        cells = []
        for size in sizes:
            mine = engine["sizes"][size]["questions"][name]
            cells.append(f"{times(peer['sizes'][size][name])} / {times(mine)}")
        last = sizes[-1]
        ratio = ratio_text(
            peer["sizes"][last][name]["ms"], engine["sizes"][last]["questions"][name]["ms"]
        )
        out.append(f"| {label} | " + " | ".join(cells) + f" | {ratio} |")
    out += [
        "",
        "The project alone, on each database: time (queries) and growth from the first size to "
        "the last.",
        "",
        "| question | "
        + " | ".join(f"{ENGINES[e]} N = {int(s):,}" for e in engines for s in engines[e]["sizes"])
        + " | "
        + " | ".join(f"growth on {ENGINES[e]}" for e in engines)
        + " |",
        "|---|" + "---|" * (sum(len(r["sizes"]) for r in engines.values()) + len(engines)),
    ]
    for name, label in {**QUESTIONS, **ENGINE_ONLY}.items():
        cells, growths = [], []
        for run in engines.values():
            found = [run["sizes"][s]["questions"][name] for s in run["sizes"]]
            cells += [f"{r['ms']:.1f} ms ({r['queries']} q)" for r in found]
            growths.append(f"{found[-1]['ms'] / found[0]['ms']:.2f}×")
        out.append(f"| {label} | " + " | ".join(cells + growths) + " |")
    rows = " | ".join(
        f"{ENGINES[e]} {int(s):,}: {r['occurrences']:,} ({r.get('off_rule', 0):,} read by feeds)"
        for e, run in engines.items()
        for s, r in run["sizes"].items()
    )
    out += ["", f"Dates (occurrence rows, and those that differ from their rule): {rows}."]
    plan = engine["sizes"][sizes[-1]].get("upcoming_plan")
    if plan:
        out += ["", f"First-20 plan on SQLite at N = {int(sizes[-1]):,}:", "", "```", *plan, "```"]
    if "postgres" in engines:
        plan = engines["postgres"]["sizes"][sizes[-1]].get("upcoming_plan")
        if plan:
            out += ["", "On PostgreSQL:", "", "```", *plan, "```"]
    return out


def targets(peer: dict | None, engines: dict[str, dict]) -> list[tuple[str, bool | None, str, str]]:
    """(target, met, measured, key of its explanation) for the calendar engine."""
    if not peer or "sqlite" not in engines:
        return []
    sizes = list(peer["sizes"])
    first, last = sizes[0], sizes[-1]
    at = f"N = {int(last):,}"
    engine = engines["sqlite"]["sizes"]

    def pair(name: str) -> tuple[float, float]:
        return peer["sizes"][last][name]["ms"], engine[last]["questions"][name]["ms"]

    rows = []
    theirs, mine = pair("listing_30_days")
    rows.append(
        (
            f"30-day listing ≥ 10× faster than the peer ({at}, SQLite)",
            theirs / mine >= 10,
            f"{theirs / mine:.1f}× ({mine:.1f} ms vs {theirs:.0f} ms)",
            "listing",
        )
    )
    theirs, mine = pair("first_20")
    rows.append(
        (
            f"first 20 upcoming ≥ 50× faster than the peer ({at}, SQLite)",
            theirs / mine >= 50,
            f"{theirs / mine:.0f}× ({mine:.1f} ms vs {theirs:.0f} ms)",
            "first_20",
        )
    )
    for key, run in engines.items():
        small, large = (run["sizes"][s]["questions"]["first_20"]["ms"] for s in (first, last))
        rows.append(
            (
                f"first 20 upcoming within 1.5× of its time at N = {int(first):,} ({ENGINES[key]})",
                large / small <= 1.5,
                f"{small:.1f} → {large:.1f} ms ({large / small:.2f}×)",
                "first_20",
            )
        )
    theirs, mine = pair("feed")
    rows.append(
        (
            f"cold whole-calendar feed no slower than the peer's ({at}, SQLite)",
            mine <= theirs,
            f"{mine:.0f} ms vs {theirs:.0f} ms ({ratio_text(theirs, mine)})",
            "feed",
        )
    )
    for key, run in engines.items():
        check = run["sizes"][last].get("feed_check")
        if check:
            rows.append(
                (
                    f"the feed as served is the feed read from every date ({ENGINES[key]}, {at})",
                    check["same_as_every_date"],
                    f"{'same' if check['same_as_every_date'] else 'different'} bytes "
                    f"({check['vevents']:,} VEVENTs, {check['bytes'] / 1e6:.1f} MB); four "
                    "readers agree with the site in `make test` (tests/events/test_feed_truth.py)",
                    "feed_correct",
                )
            )
    for key, run in engines.items():
        small, large = (run["sizes"][s]["questions"]["agenda"]["ms"] for s in (first, last))
        rows.append(
            (
                f"agenda (cold) within 1.5× of its time at N = {int(first):,} ({ENGINES[key]})",
                large / small <= 1.5,
                f"{small:.1f} → {large:.1f} ms ({large / small:.2f}×)",
                "agenda",
            )
        )
    for key, run in engines.items():
        counts = {
            name: [run["sizes"][s]["questions"][name]["queries"] for s in run["sizes"]]
            for name in (*QUESTIONS, *ENGINE_ONLY)
        }
        rows.append(
            (
                f"same queries at every size, each question ({ENGINES[key]})",
                all(len(set(c)) == 1 for c in counts.values()),
                ", ".join(f"{name} {'→'.join(map(str, c))}" for name, c in counts.items()),
                "queries",
            )
        )
    return rows


def misses(rows: list[tuple[str, bool | None, str, str]]) -> list[tuple[str, str]]:
    """Each missed calendar target with why it was missed and what would close it."""
    return [(target, WHY[key]) for target, met, _, key in rows if met is False]
