"""A mediator cancels a date in the editor, then works through « À appeler » on a phone.

Four households are registered: one by e-mail, one by SMS, one with a mobile but no SMS wanted,
one with a landline. Nadia (mediator of Agence Nord in the demo) adds « Date particulière :
annulée » to the event and publishes; the e-mail and the SMS go at once, the two others are
on her call list. On a 360 px phone she opens it from the dashboard and clicks « Prévenu·e »
for each: the list ends empty and each call records who made it.
"""

import re
from datetime import timedelta

import pytest

from django.core import mail
from django.utils import timezone

from events.models import Notice, Occurrence
from events.registrations.services import Party, register
from portal import sms
from residences.models import ResidencePage
from tests.security.pages import event_page, publish

from .conftest import DESKTOP, PHONE, axe_violations, new_context

pytestmark = pytest.mark.browser

TO_CALL = ["Chantal", "Denis"]


def log_in_as_nadia(page, base_url):
    page.goto(base_url + "/admin/login/")
    page.locator("input[name=username]").fill("nadia")
    page.locator("input[name=password]").fill("demo-mediation")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")


RUNNING = "() => document.getAnimations().filter(a => a.playState === 'running').length"


def settled(page):
    """The page once its animations are over: Wagtail's messages fade in from a paler green
    (mid-way, axe measures a contrast the message never keeps). Polled from here:
    `wait_for_function` evaluates a string, which the Content-Security-Policy refuses."""
    for _ in range(50):
        if not page.evaluate(RUNNING):
            return page
        page.wait_for_timeout(100)
    raise AssertionError("animations still running after 5 s")


def test_mediator_cancels_a_date_and_works_through_the_call_list(browser, axe, live_demo):
    residence = ResidencePage.objects.get(slug="les-tilleuls")
    day = timezone.localdate() + timedelta(days=10)
    event = publish(
        residence,
        event_page(
            title="Atelier tricot",
            slug="atelier-tricot-appels",
            first_date=day,
            registration_enabled=True,
            capacity=12,
        ),
    )
    occurrence = Occurrence.objects.get(page=event)
    for name, contact in (
        ("Alice", {"email": "alice@example.fr"}),
        ("Bakary", {"phone": "06 12 34 56 78", "sms_consent": True}),
        ("Chantal", {"phone": "07 81 23 45 67"}),
        ("Denis", {"phone": "01 23 45 67 89"}),
    ):
        register(occurrence, Party(first_name=name, adults=1, **contact))
    mail.outbox.clear()
    sms.outbox.clear()

    # At the office: the date is cancelled in the event's editor.
    context = new_context(browser, DESKTOP)
    editor = context.new_page()
    log_in_as_nadia(editor, live_demo.url)
    editor.goto(f"{live_demo.url}/admin/pages/{event.pk}/edit/")
    editor.get_by_role("tab", name="Dates").click()
    add_row = editor.get_by_role("button", name=re.compile("Ajouter .*Date particulière"))
    add_row.scroll_into_view_if_needed()
    editor.wait_for_timeout(300)
    add_row.click()
    assert editor.locator("#id_exceptions-0-kind").input_value() == "cancelled"
    editor.locator("#id_exceptions-0-date").fill(day.strftime("%d/%m/%Y"))
    editor.keyboard.press("Escape")
    editor.locator("#id_exceptions-0-reason").fill("Animatrice malade")
    editor.get_by_role("button", name="Plus d'actions").click()
    editor.get_by_role("button", name="Publier").click()
    editor.wait_for_url(f"**/admin/pages/{residence.pk}/")
    assert "publiée" in editor.content()
    context.close()

    occurrence.refresh_from_db()
    assert occurrence.status == "cancelled"
    assert [m.to for m in mail.outbox] == [["alice@example.fr"]]
    assert [m.to for m in sms.outbox] == ["+33612345678"]

    # On the phone: from the dashboard to the call list, one click per household told.
    context = new_context(browser, PHONE)
    phone = context.new_page()
    log_in_as_nadia(phone, live_demo.url)
    panel = phone.locator("section[aria-labelledby=tableau-mediation]")
    assert "2 appels à passer" in panel.inner_text()
    panel.get_by_role("link", name="Voir la liste « À appeler »").click()
    phone.wait_for_url("**/admin/a-appeler/")
    listing = phone.locator("table.listing")
    assert "Annulation : ANNULÉ : Atelier tricot" in listing.inner_text()
    assert "(Animatrice malade)" in listing.inner_text()
    assert listing.get_by_role("link", name="01 23 45 67 89").get_attribute("href") == (
        "tel:+33123456789"
    )
    assert listing.get_by_role("link", name="07 81 23 45 67").is_visible()
    for reached in ("Alice", "Bakary"):
        assert reached not in listing.inner_text()
    assert axe_violations(axe, settled(phone)) == ""

    for name in TO_CALL:
        phone.get_by_role("button", name=f"Prévenu·e : {name}").click()
        phone.wait_for_url("**/admin/a-appeler/")
        assert f"{name} : prévenu·e, c'est noté." in phone.content()
    assert "Personne à appeler." in phone.locator("main").inner_text()
    assert phone.locator("table.listing").count() == 0
    assert axe_violations(axe, settled(phone)) == ""

    phone.goto(live_demo.url + "/admin/")
    assert (
        "à passer" not in phone.locator("section[aria-labelledby=tableau-mediation]").inner_text()
    )
    context.close()

    calls = Notice.objects.filter(channel="call").select_related("registration", "called_by")
    assert sorted(call.registration.first_name for call in calls) == TO_CALL
    assert {(call.status, call.called_by.username) for call in calls} == {("sent", "nadia")}
    assert all(call.sent_at is not None for call in calls)
