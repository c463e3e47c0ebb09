"""The Markdown tables of a bench run, with the machine and the targets; also bench/RESULTS.md."""

import datetime
import json
import os
import platform
from pathlib import Path

from bench import load_report, peer_report
from bench.env import REDIS_URL, ROOT, VAR

REDIS_DB = REDIS_URL.rsplit("/", 1)[-1]

PAGES = ["agenda", "residence", "event", "feed", "feed_304"]
LABELS = {
    "floor": "floor (StandardPage)",
    "agenda": "agenda `/agenda/`",
    "residence": "residence page",
    "event": "event page (weekly series)",
    "feed": "residence feed `.ics`",
    "feed_304": "residence feed, If-None-Match → 304",
}


ENGINES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
MIXED_KINDS = {
    "signup": "sign-up (form)",
    "change": "party change (manage page)",
    "cancel": "cancellation (manage page)",
    "twice": "change and cancel at once (two tabs)",
    "decrease": "capacity lowered (service)",
    "increase": "capacity raised (service)",
}


def load(name: str) -> dict | None:
    path = VAR / name
    return json.loads(path.read_text()) if path.exists() else None


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return f"{cpu}, {os.cpu_count()} cores, {memory} RAM, {platform.platform()}"


def pages_table(pages: dict) -> list[str]:
    sizes = list(pages["sizes"])
    head = "| page | cache | " + " | ".join(f"{int(s):,} events" for s in sizes) + " |"
    lines = [head, "|---|---|" + "---|" * len(sizes)]
    for name in ["floor", *PAGES]:
        for mode in ("cold", "warm"):
            cells = []
            for size in sizes:
                result = pages["sizes"][size]["pages"][name][mode]
                floor = pages["sizes"][size]["pages"]["floor"][mode]["ms"]
                ratio = "" if name == "floor" else f" ({result['ms'] / floor:.1f}×)"
                cells.append(f"{result['queries']} q, {result['ms']:.1f} ms{ratio}")
            lines.append(f"| {LABELS[name]} | {mode} | " + " | ".join(cells) + " |")
    counts = " | ".join(f"{pages['sizes'][s]['occurrences']:,}" for s in sizes)
    lines.append(f"| *occurrence rows* | | {counts} |")
    return lines


def mixed_checks(result: dict) -> list[tuple[str, bool, str]]:
    """Each check of the mixed booking phase: (what, met, measured); bench.signups prints them.

    The invariants are checked at the end and on every snapshot the auditor took under the
    date's lock during the run ("n/N audits" = snapshots that broke it).
    """
    r = result
    missed, audits = r["audit_missed"], r["audits"] + 1  # the snapshots and the last state

    def audited(name: str) -> str:
        return f"; {missed[name]}/{audits} snapshots"

    return [
        ("errors (HTTP 5xx, exceptions) = 0", r["errors"] == 0, f"{r['errors']}"),
        (
            "overbooked = max(0, taken − capacity − overbooking) = 0",
            r["overbooked"] == 0 and missed["overbooked"] == 0,
            f"{r['overbooked']}{audited('overbooked')}",
        ),
        (
            "overbooking = max(0, taken − capacity)",
            r["overbooking"] == r["excess"] and missed["overbooking_mismatch"] == 0,
            f"{r['overbooking']} = {r['excess']}{audited('overbooking_mismatch')}",
        ),
        (
            "counter = confirmed seats ≤ capacity + overbooking",
            r["seats_taken"] == r["confirmed_people"]
            and r["seats_taken"] <= r["capacity"] + r["overbooking"]
            and missed["counter_mismatch"] == 0,
            f"{r['seats_taken']} = {r['confirmed_people']} ≤ {r['capacity']} + "
            f"{r['overbooking']}{audited('counter_mismatch')}",
        ),
        (
            "no fitting party waiting beside a free seat",
            r["fitting_waiting"] == 0 and missed["fitting_waiting"] == 0,
            f"{r['fitting_waiting']} ({r['free']} free, {r['waiting']} waiting)"
            f"{audited('fitting_waiting')}",
        ),
        (
            "FIFO kept: no party confirmed (promoted) while an older one of ≤ size waited",
            r["fifo_jumped"] == 0,
            f"{r['fifo_jumped']} of {r['fifo_pairs']} pairs ({r['fifo_undecided']} undecided); "
            f"{r['promotion_notices']} promotions",
        ),
        (
            "browsers and database agree (no lost or doubled change)",
            r["disagreements"] == 0,
            f"{r['disagreements']}",
        ),
    ]


def mixed_tables(mixed: dict) -> list[str]:
    """Checks side by side per engine, then throughput and latencies per operation."""
    engines = list(mixed)
    names = [ENGINES[e] for e in engines]
    checks = {e: mixed_checks(r) for e, r in mixed.items()}
    first = mixed[engines[0]]
    lines = [
        "",
        f"## Mixed bookings ({' | '.join(names)})",
        "",
        f"A second outing, {first['capacity_start']} seats at the start: "
        f"{first['threads']} threads over HTTP (gunicorn -w 4) sign up through the form, change "
        "their party and cancel through their manage page (GET for the CSRF token, then POST); "
        "a thread in process lowers and raises the capacity with `set_capacity`, as a mediator "
        "publishing does. At most "
        f"{first['operations']} HTTP operations or {first['time_limit']} s; then read back.",
        "",
        "| check | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(engines),
    ]
    for index, (what, _, _) in enumerate(checks[engines[0]]):
        cells = []
        for engine in engines:
            _, met, measured = checks[engine][index]
            cells.append(f"{measured} — {'met' if met else '**missed**'}")
        lines.append(f"| {what} | " + " | ".join(cells) + " |")
    end = " | ".join(
        f"capacity {r['capacity']}, {r['confirmed']} confirmed ({r['confirmed_people']} p.), "
        f"{r['waiting']} waiting ({r['waiting_people']} p.), {r['cancelled']} cancelled"
        for r in mixed.values()
    )
    lines.append(f"| *at the end* | {end} |")
    lines += [
        "",
        "| operation | database | done | ok | refused | errors | per s | p50 ms | p95 ms | "
        "page GET p50 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, label in MIXED_KINDS.items():
        for engine, r in mixed.items():
            k = r["kinds"][kind]
            extra = ""
            if kind == "decrease":
                extra = f"; {k['below_seats_taken']} below the seats taken"
            if kind == "increase":
                extra = f"; {k['promoted']} promoted"
            lines.append(
                f"| {label}{extra} | {ENGINES[engine]} | {k['done']} | {k['ok']} | "
                f"{k['refused']} | {k['errors']} | {k['per_second']:.1f} | "
                f"{ms(k['p50'])} | {ms(k['p95'])} | {ms(k['page_p50'])} |"
            )
    for engine, r in mixed.items():
        lines.append(
            f"| **all HTTP** in {r['seconds']:.1f} s | {ENGINES[engine]} | "
            f"{r['http_operations']} | | | {r['errors']} | {r['per_second']:.1f} | | | |"
        )
    lines += [
        "",
        "p50/p95: the POST (the booking decision) or the `set_capacity` call, queueing for one "
        "of the 4 workers included; page GET: the form or manage page fetched first. "
        "Snapshots: the date read under its lock every 0.2–0.5 s during the run ("
        + ", ".join(f"{r['audits']} on {ENGINES[e]}" for e, r in mixed.items())
        + "), and its last state.",
    ]
    refusals = {
        (ENGINES[e], k, reason): n
        for e, r in mixed.items()
        for k in MIXED_KINDS
        for reason, n in r["kinds"][k]["refusals"].items()
    }
    if refusals:
        lines += ["", "Refusals (the form came back with a message):", ""]
        lines += [
            f"- {e}, {MIXED_KINDS[k]}: {n} × « {reason} »" for (e, k, reason), n in refusals.items()
        ]
    for engine, r in mixed.items():
        notes = r["error_kinds"] + r["fifo_examples"] + r["audit_errors"]
        if notes:
            lines += ["", f"{ENGINES[engine]}: " + "; ".join(notes)]
    return lines


# Why a target of the pages, sign-ups or load can be missed, and what would close it (by the
# start of the target's text); the calendar targets have theirs in bench/peer_report.py.
WHY = {
    "residence feed, If-None-Match → 304 (cold)": (
        "The ETag is a hash of the body, made when the body is built (README, Feeds): with the "
        "cache cleared, a conditional request builds the feed (the same queries as the cold "
        "build) before it can answer 304, so it costs a cold feed build, not a plain page. An "
        "ETag kept apart from the body, from the generations of what the feed shows, would "
        "answer 304 without building; so would a cold build within 1.5× of the floor."
    ),
    "residence feed, If-None-Match → 304 (warm)": (
        "Warm, the floor page is served whole from the page cache (no query, under 1 ms), "
        "while a conditional feed request first checks its tags' generations in Redis (one "
        "get_many) and answers 304: a millisecond more, over a floor that is itself a cache "
        "hit. Answering feeds' 304s from the page cache, or a floor measured uncached, would "
        "close it."
    ),
    "agenda (cold): time at": (
        "The agenda runs the same 23 queries at every size, but each of its queries of dates "
        "first looks for the pages that run over several days (`earliest_start_in_progress`): "
        "PostgreSQL scans every event page for `end_date IS NOT NULL` (10,012 rows, 2 ms, in "
        "the plans below), and the dates' index scans read more rows as dates grow. A partial "
        "index on `end_date` where it is set would turn the first into a seek; the rest of the "
        "growth is spread over queries of a few milliseconds each (not analysed further)."
    ),
    "agenda (warm): time at": (
        "Warm, the agenda is a page-cache hit: no query, two Redis round trips (the entry with "
        "the epoch, then the generations of its tags, as many at every size) and a body of "
        "the same 20 dates. The figures are a few milliseconds on a shared machine, and the "
        "floor page moved as much (see its row). Timing hits over many more runs would tell "
        "noise from growth; nothing in the hit path reads the data."
    ),
    "agenda `/agenda/` (warm)": (
        "Both sides are page-cache hits of a few milliseconds: the floor page's entry is "
        "smaller and carries fewer tags to check. A ratio of two hits measures Redis round "
        "trips and body size, not the work a page does; timing hits over many more runs would "
        "tell whether the gap is real."
    ),
    "load, 50 tenants: cached pages p95": (
        "Every URL of the tenant mix is fetched once before the phases (bench/load.py), so the "
        "slow requests are rebuilds: a page's entry lives `PAGE_CACHE_TIMEOUT` (120 s) and a "
        "fragment 5 minutes, and then four gunicorn workers on two cores build it while locust "
        "itself takes a share of the CPU. The per-request table above shows which kind; a "
        "longer page lifetime, or rebuilding in the background while the stale page is served, "
        "would close it."
    ),
}


def why(target: str) -> str:
    for start, reason in WHY.items():
        if target.startswith(start):
            return reason
    return "Not analysed in this run: see the figures above and the previous RESULTS.md."


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def targets(pages, signups, load_run) -> list[tuple[str, bool | None, str]]:
    rows: list[tuple[str, bool | None, str]] = []
    if pages:
        sizes = list(pages["sizes"])
        small, large = pages["sizes"][sizes[0]]["pages"], pages["sizes"][sizes[-1]]["pages"]
        span = f"{int(sizes[0]):,} → {int(sizes[-1]):,}"
        for name in ("agenda", "residence", "event"):
            for mode in ("cold", "warm"):
                a, b = small[name][mode], large[name][mode]
                rows.append(
                    (
                        f"{name} ({mode}): same queries {span}",
                        a["queries"] == b["queries"],
                        f"{a['queries']} → {b['queries']}",
                    )
                )
                ratio = b["ms"] / a["ms"]
                rows.append(
                    (
                        f"{name} ({mode}): time at {int(sizes[-1]):,} ≤ 1.5× time at "
                        f"{int(sizes[0]):,}",
                        ratio <= 1.5,
                        f"{a['ms']:.1f} → {b['ms']:.1f} ms ({ratio:.2f}×)",
                    )
                )
        for name, limit in (("agenda", 3), ("feed_304", 1.5)):
            for mode in ("cold", "warm"):
                ratio = large[name][mode]["ms"] / large["floor"][mode]["ms"]
                rows.append(
                    (
                        f"{LABELS[name]} ({mode}) ≤ {limit}× floor at {int(sizes[-1]):,}",
                        ratio <= limit,
                        f"{ratio:.2f}×",
                    )
                )
    for engine, result in (signups or {}).items():
        if "tenants" not in result:
            continue  # a mixed phase alone
        ok = not result["overbooked"] and result["errors"] == 0
        rows.append(
            (
                f"sign-ups on {engine}: zero overbooked, zero errors",
                ok,
                f"overbooked {result['overbooked']}, errors {result['errors']}",
            )
        )
    for engine, result in (signups or {}).items():
        if "mixed" in result:
            missed = [what for what, met, _ in mixed_checks(result["mixed"]) if not met]
            rows.append(
                (
                    f"mixed bookings on {engine}: every check met",
                    not missed,
                    "all met" if not missed else "missed: " + "; ".join(missed),
                )
            )
    if load_run:
        rows += load_report.targets(load_run)
    return rows


def render() -> str:
    pages = load("pages.json")
    signups = {e: r for e in ("sqlite", "postgres") if (r := load(f"signups-{e}.json"))}
    load_run = load("load.json")
    out = ["# Bench results", ""]
    out.append(f"- Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    out.append(f"- Machine: {machine()}")
    if pages:
        v = pages["versions"]
        out.append(
            f"- Python {v['python']}, Django {v['django']}, Wagtail {v['wagtail']}, "
            f"PostgreSQL {v['postgresql']}, SQLite {v['sqlite']}; Redis cache (db {REDIS_DB})"
        )
        out += [
            "",
            "## Pages (in process, PostgreSQL + Redis, median of runs)",
            "",
            "q = queries; (n×) = time over the floor in the same run and cache mode. "
            "cold: cache cleared before each request; warm: repeated request.",
            "",
        ]
        out += pages_table(pages)
    if any("tenants" in r for r in signups.values()):
        out += [
            "",
            "## Sign-ups (gunicorn -w 4, real form with CSRF)",
            "",
            "| database | tenants | confirmed (people) | waiting | overbooked | refused | "
            "errors | sign-ups/s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for engine, r in signups.items():
            if "tenants" not in r:
                continue
            out.append(
                f"| {engine} | {r['tenants']} × {r['threads']} threads | "
                f"{r['confirmed']} ({r['confirmed_people']}/{r['capacity']}) | "
                f"{r['waiting']} | {'YES' if r['overbooked'] else 'no'} | {r['refused']} | "
                f"{r['errors']} | {r['per_second']:.1f} |"
            )
    mixed = {e: r["mixed"] for e, r in signups.items() if "mixed" in r}
    if mixed:
        out += mixed_tables(mixed)
    if load_run:
        out += load_report.section(load_run)
    peer = load("peer.json")
    engines = {e: r for e in ("sqlite", "postgres") if (r := load(f"engine-{e}.json"))}
    out += peer_report.section(peer, engines)
    rows = targets(pages, signups, load_run)
    calendar = peer_report.targets(peer, engines)
    rows += [(t, ok, m) for t, ok, m, _ in calendar]
    if rows:
        out += ["", "## Targets", "", "| target | met | measured |", "|---|---|---|"]
        out += [f"| {t} | {'met' if ok else '**missed**'} | {m} |" for t, ok, m in rows]
        missed = [(t, why(t)) for t, ok, _ in rows[: len(rows) - len(calendar)] if ok is False]
        missed += peer_report.misses(calendar)
        if missed:
            out += ["", "Why the misses, and what would close them:", ""]
            out += [f"- **{target}**: {reason}" for target, reason in missed]
    if pages and pages.get("hot_spots"):
        out += ["", "## Slowest queries at the largest size (cold requests)", ""]
        for spot in pages["hot_spots"][:6]:
            out += [
                f"**{spot['page']}**, {spot['ms']:.0f} ms:",
                "",
                "```sql",
                spot["sql"][:600] + (" …" if len(spot["sql"]) > 600 else ""),
                "```",
            ]
            if spot["plan"]:
                out += ["", "```", *spot["plan"], "```"]
            out.append("")
    return "\n".join(out) + "\n"


def main() -> None:
    text = render()
    print(text)
    (ROOT / "bench" / "RESULTS.md").write_text(text)


if __name__ == "__main__":
    main()
