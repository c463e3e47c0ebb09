"""Every public page of the demo reads in house French: « 1er », « 14h30 », no « None »."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from django.urls import reverse

from wagtail.models import Page

from events.models import Occurrence, Registration

pytestmark = pytest.mark.usefixtures("shared_demo")

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
RULES = [
    (re.compile(rf"(?<![\d])1 ({MONTHS})\b"), "« 1 » before a month (write « 1er »)"),
    (re.compile(r"\bNone\b"), "« None »"),
    (re.compile(r"\b\w+\(e\)"), "« inscrit(e) »-style gender brackets"),
    (re.compile(r"\b\d{1,2}:\d{2}\b"), "« 12:00 » (write « 12h »)"),
    (re.compile(r"\b\d{1,2}h00\b"), "« 12h00 » (write « 12h »)"),
    (re.compile(r"\bcourriel\b", re.I), "« courriel » (the forms say « e-mail »)"),
    (re.compile(r"\b(?:un|une) \w+ sur [2-8]\b", re.I), "« un mardi sur 2 » (write « sur deux »)"),
    (re.compile(r"\bde Le |\bde Les |\bà Le |\bà Les "), "« de Le » (write « du », « des »)"),
]


class Text(HTMLParser):
    """The text a person reads: no tags, no scripts, no styles."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def read(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def public_urls() -> list[str]:
    urls = [p.url for p in Page.objects.live().public().specific() if p.url and p.depth > 1]
    signup = Occurrence.objects.events().live().filter(page__eventpage__registration_enabled=True)
    urls += [reverse("events:signup", args=(o.pk,)) for o in signup.upcoming()[:3]]
    urls += [
        reverse("events:subscription_help"),
        "/recherche/?q=permanence",
        "/permanences/imprimer/les-tilleuls/",
    ]
    return urls


def test_public_pages_follow_the_house_typography(client):
    problems = []
    urls = public_urls()
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        text = unescape(read(response.content.decode()))
        for pattern, what in RULES:
            for match in pattern.finditer(text):
                around = text[max(0, match.start() - 40) : match.end() + 40]
                problems.append(f"{url}: {what}: …{around}…")
    assert not problems, "\n".join(problems[:40])


def test_the_manage_page_reads_right_in_every_state(client):
    from events.models import ManageLink
    from events.registrations.services import cancel

    for registration in Registration.objects.filter(status__in=Registration.ACTIVE)[:3]:
        url = reverse("events:manage", args=(ManageLink.issue(registration),))
        for state in ("active", "cancelled"):
            if state == "cancelled":
                cancel(registration)
            text = unescape(read(client.get(url + "?nouvelle=1").content.decode()))
            assert "None" not in text and "position None" not in text, (state, text[:400])
            for pattern, what in RULES:
                assert not pattern.search(text), (state, what)
