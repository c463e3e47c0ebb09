"""The Markdown tables of a bench run, with the machine and the targets; also bench/RESULTS.md."""

import datetime
import json
import os
import platform
from pathlib import Path

from bench.env import ROOT, VAR

PAGES = ["agenda", "residence", "event", "feed", "feed_304"]
LABELS = {
    "floor": "floor (StandardPage)",
    "agenda": "agenda `/agenda/`",
    "residence": "residence page",
    "event": "event page (weekly series)",
    "feed": "residence feed `.ics`",
    "feed_304": "residence feed, If-None-Match → 304",
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
        ok = not result["overbooked"] and result["errors"] == 0
        rows.append(
            (
                f"sign-ups on {engine}: zero overbooked, zero errors",
                ok,
                f"overbooked {result['overbooked']}, errors {result['errors']}",
            )
        )
    if load_run:
        rows.append(
            (
                "load run: no error",
                load_run["failures"] == 0,
                f"{load_run['failures']} of {load_run['requests']}",
            )
        )
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
            f"PostgreSQL {v['postgresql']}, SQLite {v['sqlite']}; Redis cache (db 14)"
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
    if signups:
        out += [
            "",
            "## Sign-ups (gunicorn -w 4, real form with CSRF)",
            "",
            "| database | tenants | confirmed (people) | waiting | overbooked | refused | "
            "errors | sign-ups/s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for engine, r in signups.items():
            out.append(
                f"| {engine} | {r['tenants']} × {r['threads']} threads | "
                f"{r['confirmed']} ({r['confirmed_people']}/{r['capacity']}) | "
                f"{r['waiting']} | {'YES' if r['overbooked'] else 'no'} | {r['refused']} | "
                f"{r['errors']} | {r['per_second']:.1f} |"
            )
    if load_run:
        out += [
            "",
            "## Load (locust, 50 tenants, 60 s, gunicorn -w 4 + PostgreSQL + Redis)",
            "",
            "| request | count | p50 ms | p95 ms |",
            "|---|---|---|---|",
        ]
        for name, r in sorted(load_run["per_name"].items()):
            out.append(f"| {name} | {r['requests']} | {r['p50']:.0f} | {r['p95']:.0f} |")
        out.append(
            f"| **all** ({load_run['rps']:.1f} req/s, {load_run['failures']} errors) | "
            f"{load_run['requests']} | {load_run['p50']:.0f} | {load_run['p95']:.0f} |"
        )
    rows = targets(pages, signups, load_run)
    if rows:
        out += ["", "## Targets", "", "| target | met | measured |", "|---|---|---|"]
        out += [f"| {t} | {'yes' if ok else '**no**'} | {m} |" for t, ok, m in rows]
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
