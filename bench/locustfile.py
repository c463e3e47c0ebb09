"""Simulated visitors. URLs come from BENCH_URLS (JSON); BENCH_WAIT is the pause between two
requests of one visitor, in seconds ("0.5,2": a tenant reading; "0": as fast as it can).

- `Tenant`: the agenda (with filters), residence and event pages, and calendar clients that
  refresh a residence feed with If-None-Match;
- `CachedPages`: anonymous public pages only (home, agenda, residences, events);
- `Plain`: the bench server's plain Django view, to measure the floor in the same run.
"""

import json
import os
import random

from locust import HttpUser, between, constant, task

URLS = json.loads(open(os.environ["BENCH_URLS"]).read())  # noqa: SIM115
_low, _, _high = os.environ.get("BENCH_WAIT", "0.5,2").partition(",")
WAIT = between(float(_low), float(_high)) if _high else constant(float(_low))


class Tenant(HttpUser):
    wait_time = WAIT

    def on_start(self):
        self.etags: dict[str, str] = {}

    @task(4)
    def agenda(self):
        query = random.choice(
            ["", "?periode=semaine", f"?residence={random.choice(URLS['slugs'])}"]
        )
        self.client.get(URLS["agenda"] + query, name="agenda")

    @task(3)
    def residence(self):
        self.client.get(random.choice(URLS["residences"]), name="residence")

    @task(3)
    def event(self):
        self.client.get(random.choice(URLS["events"]), name="event")

    @task(2)
    def feed(self):
        url = random.choice(URLS["feeds"])
        headers = {"If-None-Match": self.etags[url]} if url in self.etags else {}
        name = "feed 304" if headers else "feed"
        with self.client.get(url, headers=headers, name=name, catch_response=True) as response:
            if response.status_code in (200, 304):
                self.etags[url] = response.headers.get("ETag", "")
                response.success()


class CachedPages(HttpUser):
    wait_time = WAIT

    @task
    def page(self):
        url = random.choice(URLS["pages"])
        self.client.get(url, name="cached page")


class Plain(HttpUser):
    wait_time = WAIT

    @task
    def plain(self):
        self.client.get("/bench/plain/", name="plain view")
