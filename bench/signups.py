"""Sign-ups through the real form served by gunicorn, then a mixed phase on a second outing.

Run by the orchestrator as `python -m bench.signups --engine sqlite|postgres`, with that
engine's bench environment. Threads play the tenants, like browsers: every form is first
fetched (CSRF cookie and token), then posted. The outcome is read back from the database.

1. Rush: 400 tenants sign up at once for 50 seats.
2. Mixed: on a second outing, many threads sign up, cancel and change their party through the
   form and their manage page (the link the sign-up redirects to), while a thread in this
   process lowers and raises the capacity through the booking service, as a mediator
   publishing a new capacity does. A fixed number of operations and a time limit bound it.
   Then the date's counter, waiting list and promotions are checked against the invariants.
"""

import argparse
import html
import json
import math
import os
import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from bench.env import VAR, setup_django
from bench.report import mixed_checks
from bench.server import gunicorn

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ALERT = re.compile(r'role="alert"><p>(.*?)</p>', re.S)
STATUS = re.compile(r"<dt>Statut</dt>\s*<dd>(.*?)</dd>", re.S)
MANAGE = re.compile(r"/inscription/gerer/([^/]+)/")
MIXED_SLUG = "inscriptions-bench-mixte"
# The mixed phase's share of each HTTP operation; capacity changes come from their own thread.
# "twice": one tenant's change and cancellation posted at the same instant (two tabs).
MIXED_KINDS = {"signup": 0.40, "change": 0.32, "cancel": 0.23, "twice": 0.05}
# A confirmation later than this after the sign-up was a promotion (a direct one is immediate).
PROMOTION_GAP = 0.010
UNKNOWN = set(range(1, 21))  # any party size the forms allow


class Failed(Exception):
    """An HTTP status or exception that no tenant should ever see (5xx, 403, 429…)."""


def form_of(base: str, path: str) -> tuple[str, str, float]:
    """GET a page with a form: its CSRF cookie and token, and how long the GET took (ms)."""
    started = time.perf_counter()
    try:
        page = requests.get(base + path, timeout=60)
    except requests.RequestException as error:
        raise Failed(f"error {type(error).__name__}") from error
    if page.status_code != 200:
        raise Failed(f"error {page.status_code}")
    match = TOKEN.search(page.text)
    if match is None:
        raise Failed("error no CSRF token")
    # The cookie is Secure (production settings); over the bench's plain HTTP a client
    # library would not send it back, so it is sent by hand as a browser over HTTPS would.
    return page.cookies.get("csrftoken", ""), match.group(1), (time.perf_counter() - started) * 1000


def post(base: str, path: str, cookie: str, token: str, fields: dict) -> requests.Response:
    try:
        return requests.post(
            base + path,
            data={"csrfmiddlewaretoken": token, **fields},
            headers={"Cookie": f"csrftoken={cookie}"},
            allow_redirects=False,
            timeout=60,
        )
    except requests.RequestException as error:
        raise Failed(f"error {type(error).__name__}") from error


def party(people: int, rng: random.Random) -> tuple[int, int]:
    adults = rng.randint(1, min(2, people))
    return adults, people - adults


def signup_fields(number: int, adults: int, children: int, email: str) -> dict:
    return {
        "first_name": f"Locataire {number}",
        "adults": adults,
        "children": children,
        "residence": "",
        "building": "",
        "email": email,
        "phone": "",
        "consent": "on",
        "website": "",  # the honeypot stays empty
    }


def refusal(response: requests.Response) -> str:
    """The message a form came back with (200), for the tally of refusals."""
    match = ALERT.search(response.text)
    if match is None:  # no message shown: say what the page shows instead
        match = STATUS.search(response.text)
        shown = re.sub(r"<[^>]+>", "", match.group(1)) if match else "?"
        return f"(no message; status shown: {html.unescape(shown).strip()})"
    return html.unescape(re.sub(r"\s+", " ", match.group(1))).strip()


def sign_up(base: str, path: str, number: int) -> str:
    """One tenant of the rush: returns "ok" (redirected to the manage page), "refused" or
    "error NNN"."""
    rng = random.Random(number)
    adults, children = party(rng.randint(1, 4), rng)
    try:
        cookie, token, _ = form_of(base, path)
        response = post(
            base,
            path,
            cookie,
            token,
            signup_fields(number, adults, children, f"locataire{number}@exemple.org"),
        )
    except Failed as error:
        return str(error)
    if response.status_code in (301, 302, 303):
        return "ok"
    if response.status_code == 200:
        return "refused"  # the form came back with an error message
    return f"error {response.status_code}"


def outcome(occurrence_id: int) -> dict:
    from django.db.models import Sum

    from events.models import Registration, SeatCounter

    registrations = Registration.objects.filter(occurrence_id=occurrence_id)
    confirmed = registrations.filter(status=Registration.Status.CONFIRMED)
    counter = SeatCounter.objects.get(occurrence_id=occurrence_id)
    people = confirmed.aggregate(n=Sum("seats"))["n"] or 0
    return {
        "confirmed": confirmed.count(),
        "confirmed_people": people,
        "waiting": registrations.filter(status=Registration.Status.WAITING).count(),
        "seats_taken": counter.seats_taken,
        "capacity": counter.capacity,
        "overbooked": max(counter.seats_taken, people) > counter.capacity,
        "counter_matches": counter.seats_taken == people,
    }


# --- The mixed phase -------------------------------------------------------------------------


@dataclass
class Tenant:
    """What one tenant's browser knows: its manage link and the party it last saved."""

    number: int
    token: str
    seats: int  # at sign-up, then after each change the server accepted
    first_seats: int
    changes: list = field(default_factory=list)  # (start, end, before, after), epoch seconds
    unknown_since: float | None = None  # an operation whose outcome is unknown (an error)
    cancelled: bool = False

    @property
    def path(self) -> str:
        return f"/inscription/gerer/{self.token}/"

    def sizes_at(self, moment: float) -> set[int]:
        """The party sizes the registration may have had at that moment (server clock)."""
        if self.unknown_since is not None and moment >= self.unknown_since:
            return UNKNOWN
        size = self.first_seats
        for start, end, before, after in self.changes:
            if end < moment:
                size = after
            elif start <= moment:
                return {before, after}  # that change was in flight
            else:
                break
        return {size}


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


class MixedRun:
    def __init__(self, base: str, occurrence_id: int, args):
        self.base, self.occurrence_id = base, occurrence_id
        self.signup_path = f"/inscription/date/{occurrence_id}/"
        self.operations, self.seconds = args.mixed_ops, args.mixed_seconds
        self.threads = args.mixed_threads
        self.capacity = args.mixed_capacity
        self.lock = threading.Lock()
        self.next_operation = 0
        self.next_tenant = 0
        self.idle: list[Tenant] = []  # active tenants no thread is using
        self.tenants: list[Tenant] = []
        self.records: list[dict] = []
        self.stop = threading.Event()
        self.deadline = 0.0
        self.snapshots: list[Snapshot] = []
        self.audit_errors: list[str] = []

    # Each HTTP operation returns a record: kind, outcome (ok, refused, error …), timings.

    def run(self) -> float:
        self.deadline = time.monotonic() + self.seconds
        helpers = [
            threading.Thread(target=self.change_capacities, name="mediator"),
            threading.Thread(target=self.audit, name="auditor"),
        ]
        started = time.perf_counter()
        for helper in helpers:
            helper.start()
        try:
            with ThreadPoolExecutor(self.threads) as pool:
                for future in [pool.submit(self.tenant_loop) for _ in range(self.threads)]:
                    future.result()
        finally:
            self.stop.set()
            for helper in helpers:
                helper.join()
        return time.perf_counter() - started

    def tenant_loop(self) -> None:
        kinds, weights = list(MIXED_KINDS), list(MIXED_KINDS.values())
        while True:
            with self.lock:
                if self.next_operation >= self.operations or time.monotonic() > self.deadline:
                    return
                number = self.next_operation
                self.next_operation += 1
                rng = random.Random(1_000_003 * (number + 1))
                kind = rng.choices(kinds, weights)[0]
                tenant = None
                if kind != "signup" and self.idle:
                    tenant = self.idle.pop(rng.randrange(len(self.idle)))
            if tenant is None:
                kind = "signup"
            try:
                if kind == "signup":
                    record = self.sign_up(rng)
                elif kind == "cancel":
                    record = self.cancel(tenant)
                elif kind == "twice":
                    record = self.twice(tenant, rng)
                else:
                    record = self.change(tenant, rng)
            except Exception as error:  # noqa: BLE001 (a bench bug is an error too)
                record = {"kind": kind, "outcome": f"error {type(error).__name__}: {error}"}
            with self.lock:
                self.records.append(record)
                if tenant is not None and not tenant.cancelled:
                    self.idle.append(tenant)

    def sign_up(self, rng: random.Random) -> dict:
        with self.lock:
            number = self.next_tenant
            self.next_tenant += 1
        people = rng.randint(1, 4)
        adults, children = party(people, rng)
        record = {"kind": "signup"}
        try:
            cookie, token, record["get_ms"] = form_of(self.base, self.signup_path)
            started = time.perf_counter()
            fields = signup_fields(number, adults, children, f"mixte{number}@exemple.org")
            response = post(self.base, self.signup_path, cookie, token, fields)
            record["post_ms"] = (time.perf_counter() - started) * 1000
        except Failed as error:
            return {**record, "outcome": str(error)}
        if response.status_code == 302:
            match = MANAGE.search(response.headers.get("Location", ""))
            if match is None:
                return {**record, "outcome": "error no manage link"}
            tenant = Tenant(number, match.group(1), people, people)
            with self.lock:
                self.tenants.append(tenant)
                self.idle.append(tenant)
            return {**record, "outcome": "ok"}
        if response.status_code == 200:
            return {**record, "outcome": "refused", "reason": refusal(response)}
        return {**record, "outcome": f"error {response.status_code}"}

    def cancel(self, tenant: Tenant) -> dict:
        record = {"kind": "cancel"}
        started_at = time.time()
        try:
            cookie, token, record["get_ms"] = form_of(self.base, tenant.path)
            started = time.perf_counter()
            # « Annuler » only shows a confirmation; its form posts this, which cancels.
            response = post(self.base, tenant.path, cookie, token, {"action": "annuler_confirme"})
            record["post_ms"] = (time.perf_counter() - started) * 1000
        except Failed as error:
            tenant.unknown_since = started_at
            return {**record, "outcome": str(error)}
        if response.status_code == 302:
            tenant.cancelled = True
            return {**record, "outcome": "ok"}
        tenant.unknown_since = started_at
        if response.status_code == 200:
            return {**record, "outcome": "refused", "reason": refusal(response)}
        return {**record, "outcome": f"error {response.status_code}"}

    def change(self, tenant: Tenant, rng: random.Random) -> dict:
        people = rng.choice([n for n in range(1, 5) if n != tenant.seats])
        adults, children = party(people, rng)
        record = {"kind": "change", "grows": people > tenant.seats}
        started_at = time.time()
        try:
            cookie, token, record["get_ms"] = form_of(self.base, tenant.path)
            started = time.perf_counter()
            response = post(
                self.base,
                tenant.path,
                cookie,
                token,
                {"action": "modifier", "adults": adults, "children": children},
            )
            record["post_ms"] = (time.perf_counter() - started) * 1000
        except Failed as error:
            tenant.unknown_since = started_at
            return {**record, "outcome": str(error)}
        if response.status_code == 302:
            tenant.changes.append((started_at, time.time(), tenant.seats, people))
            tenant.seats = people
            return {**record, "outcome": "ok"}
        if response.status_code == 200:
            return {**record, "outcome": "refused", "reason": refusal(response)}
        tenant.unknown_since = started_at
        return {**record, "outcome": f"error {response.status_code}"}

    def twice(self, tenant: Tenant, rng: random.Random) -> dict:
        """A change and a cancellation of the same registration, posted at the same instant."""
        people = rng.choice([n for n in range(1, 5) if n != tenant.seats])
        adults, children = party(people, rng)
        record = {"kind": "twice"}
        started_at = time.time()
        actions = [
            {"action": "modifier", "adults": adults, "children": children},
            {"action": "annuler_confirme"},
        ]
        try:
            cookie, token, record["get_ms"] = form_of(self.base, tenant.path)
            started = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                futures = [
                    pool.submit(post, self.base, tenant.path, cookie, token, fields)
                    for fields in actions
                ]
                changed, cancelled = (future.result() for future in futures)
            record["post_ms"] = (time.perf_counter() - started) * 1000
        except Failed as error:
            tenant.unknown_since = started_at
            return {**record, "outcome": str(error)}
        if cancelled.status_code != 302:
            tenant.unknown_since = started_at
            return {**record, "outcome": f"error {cancelled.status_code} (cancel)"}
        tenant.cancelled = True  # whichever came first, the registration ends cancelled
        if changed.status_code == 302:
            return {**record, "outcome": "ok"}
        if changed.status_code == 200:
            return {**record, "outcome": "refused", "reason": refusal(changed)}
        return {**record, "outcome": f"error {changed.status_code} (change)"}

    def change_capacities(self) -> None:
        """The mediator: capacities lowered (often below the seats taken) and raised again."""
        from django.db import connection

        from events.models import Occurrence
        from events.registrations.services import set_capacity

        rng = random.Random(14)
        low, high = max(1, self.capacity // 2), self.capacity + self.capacity // 2
        capacity = self.capacity
        try:
            occurrence = Occurrence.objects.select_related("page").get(pk=self.occurrence_id)
            while not self.stop.wait(rng.uniform(0.05, 0.25)):
                if time.monotonic() > self.deadline:
                    break
                step = rng.randint(1, 6)
                lower = rng.random() < (0.6 if capacity > self.capacity else 0.45)
                capacity = max(low, capacity - step) if lower else min(high, capacity + step)
                record = {"kind": "decrease" if lower else "increase"}
                started = time.perf_counter()
                try:
                    change = set_capacity(occurrence, capacity)
                except Exception as error:  # noqa: BLE001 (reported as an error)
                    record["outcome"] = f"error {type(error).__name__}: {error}"
                else:
                    record.update(outcome="ok", over=change.over, promoted=len(change.promoted))
                record["post_ms"] = (time.perf_counter() - started) * 1000
                with self.lock:
                    self.records.append(record)
        finally:
            connection.close()

    # --- Reading back -----------------------------------------------------------------------

    def figures(self, elapsed: float) -> dict:
        kinds = {}
        for kind in [*MIXED_KINDS, "decrease", "increase"]:
            records = [r for r in self.records if r["kind"] == kind]
            posts = [r["post_ms"] for r in records if "post_ms" in r]
            gets = [r["get_ms"] for r in records if "get_ms" in r]
            reasons: dict[str, int] = {}
            for r in records:
                if r["outcome"] == "refused":
                    reasons[r["reason"]] = reasons.get(r["reason"], 0) + 1
            kinds[kind] = {
                "done": len(records),
                "ok": sum(r["outcome"] == "ok" for r in records),
                "refused": sum(r["outcome"] == "refused" for r in records),
                "errors": sum(r["outcome"].startswith("error") for r in records),
                "per_second": len(records) / elapsed,
                "p50": percentile(posts, 50),
                "p95": percentile(posts, 95),
                "page_p50": percentile(gets, 50),
                "page_p95": percentile(gets, 95),
                "refusals": reasons,
            }
        kinds["decrease"]["below_seats_taken"] = sum(
            1 for r in self.records if r["kind"] == "decrease" and r.get("over")
        )
        for kind in ("decrease", "increase"):
            kinds[kind]["promoted"] = sum(
                r.get("promoted", 0) for r in self.records if r["kind"] == kind
            )
        errors = [r["outcome"] for r in self.records if r["outcome"].startswith("error")]
        http = [r for r in self.records if r["kind"] in MIXED_KINDS]
        return {
            "operations": self.operations,
            "threads": self.threads,
            "time_limit": self.seconds,
            "seconds": elapsed,
            "http_operations": len(http),
            "per_second": len(http) / elapsed,
            "capacity_start": self.capacity,
            "kinds": kinds,
            "errors": len(errors),
            "error_kinds": sorted(set(errors))[:20],
            **self.checks(),
        }

    def audit(self) -> None:
        """Snapshots of the date under its lock while the phase runs: the invariants must hold
        at every moment, not only at the end."""
        from django.db import connection

        rng = random.Random(15)
        try:
            while not self.stop.wait(rng.uniform(0.2, 0.5)):
                try:
                    taken = snapshot(self.occurrence_id)
                except Exception as error:  # noqa: BLE001 (reported beside the checks)
                    with self.lock:
                        self.audit_errors.append(f"{type(error).__name__}: {error}")
                else:
                    with self.lock:
                        self.snapshots.append(taken)
        finally:
            connection.close()

    def checks(self) -> dict:
        """The invariants on the last state (read once everything has stopped) and on every
        snapshot the auditor took during the run."""
        from events.models import ManageLink, Notice
        from events.registrations.models import hash_token

        final = snapshot(self.occurrence_id)
        # Which tenant (browser) holds which registration: by the hash of its manage link.
        by_hash = {hash_token(t.token): t for t in self.tenants}
        tenant_of = {
            link.registration_id: by_hash[link.token_hash]
            for link in ManageLink.objects.filter(token_hash__in=list(by_hash))
        }
        # The browser's view and the database's agree (no change lost or applied twice).
        disagree = 0
        for row in final.rows:
            tenant = tenant_of.get(row.pk)
            if tenant is None:
                disagree += 1  # a registration no browser was told about
            elif tenant.unknown_since is None and (
                tenant.cancelled != (row.status == CANCELLED)
                or (not tenant.cancelled and tenant.seats != row.seats)
            ):
                disagree += 1
        disagree += len(self.tenants) - len(tenant_of)  # a link the database does not know
        noticed = set(
            Notice.objects.filter(
                registration__occurrence_id=self.occurrence_id, kind=Notice.Kind.PROMOTED
            ).values_list("registration_id", flat=True)
        )
        fifo: dict[tuple[int, int], str] = {}
        examples: list[str] = []
        missed = dict.fromkeys(AUDITED, 0)
        for taken in [*self.snapshots, final]:
            for name, value in taken.invariants().items():
                missed[name] += value != 0
            taken.fifo(noticed, tenant_of, fifo, examples)
        last = final.invariants()
        confirmed = [r for r in final.rows if r.status == CONFIRMED]
        waiting = [r for r in final.rows if r.status == WAITING]
        return {
            "capacity": final.capacity,
            "seats_taken": final.seats_taken,
            "overbooking": final.overbooking,
            "excess": final.excess,
            "overbooked": last["overbooked"],
            "confirmed": len(confirmed),
            "confirmed_people": sum(r.seats for r in confirmed),
            "waiting": len(waiting),
            "waiting_people": sum(r.seats for r in waiting),
            "cancelled": sum(r.status == CANCELLED for r in final.rows),
            "free": final.free,
            "fitting_waiting": last["fitting_waiting"],
            "promoted": len(final.promoted(noticed)),
            "promotion_notices": len(noticed),
            "fifo_pairs": len(fifo),
            "fifo_jumped": sum(v == "jumped" for v in fifo.values()),
            "fifo_undecided": sum(v == "undecided" for v in fifo.values()),
            "fifo_examples": examples,
            "disagreements": disagree,
            "audits": len(self.snapshots),
            "audit_missed": missed,  # per invariant: how many snapshots broke it
            "audit_errors": sorted(set(self.audit_errors))[:10],
        }


CONFIRMED, WAITING, CANCELLED = "confirmed", "waiting", "cancelled"
# Invariants checked on every snapshot (each must be 0).
AUDITED = ("overbooked", "overbooking_mismatch", "counter_mismatch", "fitting_waiting")


@dataclass(frozen=True)
class Row:
    pk: int
    status: str
    seats: int
    created_at: object
    status_changed_at: object


@dataclass
class Snapshot:
    """The date's counter and registrations, read together under the counter's lock."""

    capacity: int
    seats_taken: int
    overbooking: int
    rows: list  # of Row, oldest first (the waiting list's order)

    @property
    def excess(self) -> int:
        return max(0, self.seats_taken - self.capacity)

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def invariants(self) -> dict[str, int]:
        confirmed = sum(r.seats for r in self.rows if r.status == CONFIRMED)
        return {
            "overbooked": max(0, self.seats_taken - self.capacity - self.overbooking),
            "overbooking_mismatch": abs(self.overbooking - self.excess),
            "counter_mismatch": abs(self.seats_taken - confirmed),
            "fitting_waiting": sum(
                1 for r in self.rows if r.status == WAITING and r.seats <= self.free
            ),
        }

    def promoted(self, noticed: set[int]) -> list[Row]:
        """Confirmed by a promotion: a « place libérée » notice, or confirmed well after the
        sign-up (a direct confirmation stamps both instants together)."""
        return [
            r
            for r in self.rows
            if r.status == CONFIRMED
            and (
                r.pk in noticed
                or (r.status_changed_at - r.created_at).total_seconds() > PROMOTION_GAP
            )
        ]

    def fifo(self, noticed, tenant_of, verdicts: dict, examples: list) -> None:
        """A party confirmed (promoted, or at once on signing up) while an older party of the
        same or smaller size was waiting (and still is in this snapshot) jumped the queue: the
        older one was waiting at that instant, and would have fitted first. Party sizes at that
        instant come from the browsers' log of accepted changes."""
        waiting = [r for r in self.rows if r.status == WAITING]
        for winner in (r for r in self.rows if r.status == CONFIRMED):
            moment = winner.status_changed_at.timestamp()
            for older in waiting:
                if (older.created_at, older.pk) >= (winner.created_at, winner.pk):
                    break
                if (winner.pk, older.pk) in verdicts:
                    continue
                older_sizes, winner_sizes = (
                    tenant_of[r.pk].sizes_at(moment) if r.pk in tenant_of else UNKNOWN
                    for r in (older, winner)
                )
                if max(older_sizes) <= min(winner_sizes):
                    verdicts[winner.pk, older.pk] = "jumped"
                    if len(examples) < 5:
                        examples.append(
                            f"#{winner.pk} ({min(winner_sizes)} p.) confirmed at "
                            f"{winner.status_changed_at:%H:%M:%S.%f} while #{older.pk} "
                            f"({max(older_sizes)} p., signed up earlier) waited"
                        )
                elif min(older_sizes) <= max(winner_sizes):
                    verdicts[winner.pk, older.pk] = "undecided"  # a change was in flight
                else:
                    verdicts[winner.pk, older.pk] = "kept"


def snapshot(occurrence_id: int) -> Snapshot:
    """Every booking decision holds the counter's lock: holding it too gives a consistent view
    (SQLite: the IMMEDIATE transaction holds the database's write lock)."""
    from django.db import transaction

    from events.models import Registration, SeatCounter

    with transaction.atomic():
        counter = SeatCounter.objects.select_for_update().get(occurrence_id=occurrence_id)
        rows = Registration.objects.filter(occurrence_id=occurrence_id).order_by("created_at", "pk")
        fields = ("pk", "status", "seats", "created_at", "status_changed_at")
        return Snapshot(
            counter.capacity,
            counter.seats_taken,
            counter.overbooking,
            [Row(*values) for values in rows.values_list(*fields)],
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--tenants", type=int, default=400)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--mixed-ops", type=int, default=600, help="HTTP operations")
    parser.add_argument("--mixed-seconds", type=int, default=180, help="time limit")
    parser.add_argument("--mixed-threads", type=int, default=16)
    parser.add_argument("--mixed-capacity", type=int, default=40, help="at the start")
    parser.add_argument("--skip-rush", action="store_true", help="only the mixed phase")
    args = parser.parse_args()
    setup_django()

    from bench import data

    data.build_base()
    occurrence = None if args.skip_rush else data.signup_event(args.capacity)
    mixed = data.signup_event(args.mixed_capacity, slug=MIXED_SLUG, title="Sortie du bench (2)")
    path = f"/inscription/date/{occurrence.pk}/" if occurrence else ""
    server_env = dict(os.environ)
    server_env.pop("TASKS_BACKEND", None)  # production's own task backend
    report: dict = {"engine": args.engine}
    with gunicorn(server_env, f"signups-{args.engine}") as base:
        if occurrence is not None:
            started = time.perf_counter()
            with ThreadPoolExecutor(args.threads) as pool:
                results = list(pool.map(lambda n: sign_up(base, path, n), range(args.tenants)))
            elapsed = time.perf_counter() - started
            errors = [r for r in results if r.startswith("error")]
            report.update(
                tenants=args.tenants,
                threads=args.threads,
                seconds=elapsed,
                per_second=results.count("ok") / elapsed,
                signed_up=results.count("ok"),
                refused=results.count("refused"),
                errors=len(errors),
                error_kinds=sorted(set(errors)),
                **outcome(occurrence.pk),
            )
            print(f"signups {args.engine}: {report}")
        run = MixedRun(base, mixed.pk, args)
        elapsed = run.run()
    # Read back once gunicorn has stopped: nothing is in flight any more.
    report["mixed"] = run.figures(elapsed)
    print(f"mixed bookings {args.engine}: {json.dumps(report['mixed'], indent=1)}")
    for what, met, measured in mixed_checks(report["mixed"]):
        print(f"  {'met   ' if met else 'MISSED'} {what}: {measured}")
    (VAR / f"signups-{args.engine}.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
