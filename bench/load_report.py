"""The « Load » section of bench/RESULTS.md and its targets, from var/bench/load.json."""

PHASES = (
    ("plain", "plain Django view, 50 users without pauses"),
    ("cached", "cached public pages, 50 users without pauses"),
    ("tenants_50", "50 tenants (0.5–2 s between requests)"),
    ("tenants_200", "200 tenants (0.5–2 s between requests)"),
)
# Requests of the tenant mix that are whole pages served from the page cache.
CACHED_NAMES = ("agenda", "residence", "event")


def section(run: dict) -> list[str]:
    if "plain" not in run:
        return []  # a load.json from before the phases
    out = [
        "",
        "## Load (locust against gunicorn -w 4 + PostgreSQL + Redis, production settings)",
        "",
        "Figures are noisy while other work shares the two cores; the lead reruns this last.",
        "",
        "| phase | requests | errors | req/s | p50 ms | p95 ms | /healthz probes (failures, "
        "not ok) | page samples from the cache |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, label in PHASES:
        r = run.get(key)
        if not r:
            continue
        h, c = r["health"], r["cache"]
        out.append(
            f"| {label} | {r['requests']} | {r['failures']} | {r['rps']:.1f} | {r['p50']:.0f} | "
            f"{r['p95']:.0f} | {h['probes']} ({h['failures']}, {h['not_ok']}) | "
            f"{c['hits']}/{c['pages']} |"
        )
    for key in ("tenants_50", "tenants_200"):
        r = run.get(key)
        if not r:
            continue
        out += ["", f"{r['users']} tenants, per request:", ""]
        out += ["| request | count | errors | p50 ms | p95 ms |", "|---|---|---|---|---|"]
        for name, row in sorted(r["per_name"].items()):
            out.append(
                f"| {name} | {row['requests']} | {row['failures']} | {row['p50']:.0f} | "
                f"{row['p95']:.0f} |"
            )
    out += ["", f"Throughput of cached pages / plain view: **{run['ratio']:.2f}**."]
    return out


def cached_p95(r: dict) -> float:
    return max(r["per_name"][n]["p95"] for n in CACHED_NAMES if n in r["per_name"])


def targets(run: dict) -> list[tuple[str, bool | None, str]]:
    if "plain" not in run:
        return []
    rows: list[tuple[str, bool | None, str]] = []
    for key in ("tenants_50", "tenants_200"):
        r = run[key]
        rows.append(
            (
                f"load, {r['users']} tenants: 0 errors",
                r["failures"] == 0,
                f"{r['failures']} of {r['requests']}",
            )
        )
    r50 = run["tenants_50"]
    p95 = cached_p95(r50)
    rows.append(("load, 50 tenants: cached pages p95 ≤ 100 ms", p95 <= 100, f"{p95:.0f} ms"))
    rows.append(
        (
            "cached pages throughput ≥ 0.5× a plain Django view (same run)",
            run["ratio"] >= 0.5,
            f"{run['cached']['rps']:.0f} / {run['plain']['rps']:.0f} req/s = {run['ratio']:.2f}",
        )
    )
    r200 = run["tenants_200"]
    health = r200["health"]
    rows.append(
        (
            "load, 200 tenants: 0 health failures",
            health["failures"] == 0,
            f"{health['failures']} of {health['probes']} probes (slowest {health['slowest_ms']:.0f} ms)",
        )
    )
    cache = r200["cache"]
    rows.append(
        (
            "load, 200 tenants: the cache stays on",
            # A sampled miss is a page whose PAGE_CACHE_TIMEOUT ran out, rebuilt at once.
            health["not_ok"] == 0 and cache["pages"] > 0 and cache["hits"] >= 0.95 * cache["pages"],
            f"{health['not_ok']} probes not « ok » or circuit not closed; "
            f"{cache['hits']}/{cache['pages']} sampled pages from the cache",
        )
    )
    return rows
