"""400 tenants sign up at once for 50 seats, through the real form served by gunicorn.

Run by the orchestrator as `python -m bench.signups --engine sqlite|postgres`, with that
engine's bench environment. Each tenant GETs the form (CSRF cookie and token), then POSTs it
like a browser; threads play the tenants. The outcome is read back from the database.
"""

import argparse
import json
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.env import VAR, setup_django
from bench.server import gunicorn

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_up(base: str, path: str, number: int) -> str:
    """One tenant: returns "ok" (redirected to the manage page), "refused" or "error NNN"."""
    rng = random.Random(number)
    people = rng.randint(1, 4)
    adults = rng.randint(1, min(2, people))
    try:
        form = requests.get(base + path, timeout=60)
        if form.status_code != 200:
            return f"error {form.status_code}"
        # The cookie is Secure (production settings); over the bench's plain HTTP a client
        # library would not send it back, so it is sent by hand as a browser over HTTPS would.
        cookie = form.cookies.get("csrftoken", "")
        token = TOKEN.search(form.text).group(1)
        response = requests.post(
            base + path,
            data={
                "csrfmiddlewaretoken": token,
                "first_name": f"Locataire {number}",
                "adults": adults,
                "children": people - adults,
                "residence": "",
                "building": "",
                "email": f"locataire{number}@exemple.org",
                "phone": "",
                "consent": "on",
                "website": "",  # the honeypot stays empty
            },
            headers={"Cookie": f"csrftoken={cookie}"},
            allow_redirects=False,
            timeout=60,
        )
    except (requests.RequestException, AttributeError) as error:
        return f"error {type(error).__name__}"
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--tenants", type=int, default=400)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--threads", type=int, default=32)
    args = parser.parse_args()
    setup_django()
    import os

    from bench import data

    data.build_base()
    occurrence = data.signup_event(args.capacity)
    path = f"/inscription/date/{occurrence.pk}/"
    server_env = dict(os.environ)
    server_env.pop("TASKS_BACKEND", None)  # production's own task backend
    with gunicorn(server_env, f"signups-{args.engine}") as base:
        started = time.perf_counter()
        with ThreadPoolExecutor(args.threads) as pool:
            results = list(pool.map(lambda n: sign_up(base, path, n), range(args.tenants)))
        elapsed = time.perf_counter() - started
    errors = [r for r in results if r.startswith("error")]
    report = {
        "engine": args.engine,
        "tenants": args.tenants,
        "threads": args.threads,
        "seconds": elapsed,
        "per_second": results.count("ok") / elapsed,
        "signed_up": results.count("ok"),
        "refused": results.count("refused"),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        **outcome(occurrence.pk),
    }
    print(f"signups {args.engine}: {report}")
    (VAR / f"signups-{args.engine}.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
