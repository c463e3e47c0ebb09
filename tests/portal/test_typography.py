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
    (re.compile(r"\bêtes (?:inscrit|inscrite)\b"), "gendered « vous êtes inscrit »"),
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


def read_raw(html: str) -> str:
    """The text as set, its spaces kept (`read` folds no-break spaces into ordinary ones)."""
    parser = Text()
    parser.feed(html)
    return unescape("".join(parser.parts))


# An ordinary, breakable space where French sets an unbreakable one.
BREAKABLE = re.compile(r"(?<=\S)[ \t\n]+(?:[;!?]+(?=\s|$)|:(?=\s|$)|»)|«[ \t\n]+(?=\S)")


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
        html = response.content.decode()
        for match in BREAKABLE.finditer(raw := read_raw(html)):
            around = raw[max(0, match.start() - 40) : match.end() + 40]
            problems.append(f"{url}: breakable space before « : ; ! ? » or in « »: …{around}…")
        text = unescape(read(html))
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


def test_what_mediators_type_is_set_too_and_the_admin_is_left_alone(client, admin_client):
    from portal.typography import NARROW, NO_BREAK

    page = Page.objects.live().public().filter(depth__gt=2).first().specific
    page.title = "Café : jeux !"
    page.save_revision().publish()
    response = client.get(page.url)
    body = response.content.decode()
    assert f"Café{NO_BREAK}: jeux{NARROW}!" in body and "Café : jeux !" not in body
    assert int(response["Content-Length"]) == len(response.content)

    edit = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert NARROW not in edit and "Café : jeux !" in edit


@pytest.mark.parametrize("status", ["confirmed", "waiting"])
def test_every_email_reads_in_house_french(status):
    from pathlib import Path

    from django.conf import settings

    from events.registrations.models import RegistrantMessage
    from events.registrations.tasks import build_message

    registration = Registration.objects.filter(status=status, email__gt="").first()
    message = RegistrantMessage(occurrence=registration.occurrence, subject="Info", body="Salle B")
    templates = sorted(
        p.name for p in (Path(settings.BASE_DIR) / "templates/email").iterdir() if p.is_dir()
    )
    assert len(templates) >= 7
    problems = []
    for template in templates:
        email = build_message(registration, template, message)
        html = email.alternatives[0][0]
        for text in (email.subject, email.body, unescape(read(html))):
            problems += [f"{template}: {what}" for pattern, what in RULES if pattern.search(text)]
    assert not problems, problems
