"""50 tenants browsing: the agenda (with filters), residence and event pages, and calendar
clients that refresh a residence feed with If-None-Match. URLs come from BENCH_URLS (JSON)."""

import json
import os
import random

from locust import HttpUser, between, task

URLS = json.loads(open(os.environ["BENCH_URLS"]).read())  # noqa: SIM115


class Tenant(HttpUser):
    wait_time = between(0.5, 2)

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
