"""A mediator cancels today's permanence; tenants see it on the residence page and in the feed."""

from datetime import time

import icalendar
import pytest
import time_machine

from django.utils import timezone

from events.models import PermanencePage
from residences.models import ResidencePage

from .conftest import DESKTOP, PHONE, axe_violations, new_context
from .test_event_publishing import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def this_morning():
    """Before today's permanence starts, whatever time the suite runs (a started date is history)."""
    nine = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    with time_machine.travel(nine, tick=True):
        yield


def test_mediator_cancels_todays_permanence(browser, axe, live_demo, this_morning):
    today = timezone.localdate()
    residence = ResidencePage.objects.get(slug="le-hameau-des-lilas")
    permanence = PermanencePage(
        title="Permanence du jour",
        slug="permanence-du-jour",
        first_date=today,
        start_time=time(14),
        end_time=time(17),
        frequency="weekly",
        skip_public_holidays=False,
        venue_residence=residence,
        public_note="Sans rendez-vous",
    )
    residence.add_child(instance=permanence)
    permanence.save_revision().publish()

    context = new_context(browser, DESKTOP)
    admin = context.new_page()
    log_in(admin, live_demo.url)
    admin.goto(f"{live_demo.url}/admin/pages/{permanence.pk}/edit/")
    admin.locator("header").get_by_role("button", name="Actions").click()
    admin.get_by_role("menuitem", name="Annuler une date").or_(
        admin.get_by_role("link", name="Annuler une date")
    ).first.click()
    assert admin.locator("#id_date").input_value() == today.isoformat()
    admin.locator("#id_reason").fill("formation")
    admin.get_by_role("button", name="Annuler cette date").click()
    admin.wait_for_url(f"**/admin/pages/{residence.pk}/")
    assert "est annulée" in admin.content()
    context.close()

    tenant = new_context(browser, PHONE)
    phone = tenant.new_page()
    phone.goto(f"{live_demo.url}/agence-sud/le-hameau-des-lilas/")
    assert phone.get_by_text("Annulée aujourd'hui : formation").is_visible()
    assert axe_violations(axe, phone) == ""

    feed = phone.request.get(f"{live_demo.url}/calendrier/residence/le-hameau-des-lilas.ics")
    calendar = icalendar.Calendar.from_ical(feed.body())
    cancelled = [
        e
        for e in calendar.walk("VEVENT")
        if str(e["SUMMARY"]) == "Permanence du jour" and "RECURRENCE-ID" in e
    ]
    assert len(cancelled) == 1 and str(cancelled[0]["STATUS"]) == "CANCELLED"
    assert cancelled[0]["RECURRENCE-ID"].dt.date() == today

    for path in ("/permanences/", "/calendrier/aide/", "/mediateurs/sophie-lefevre/"):
        phone.goto(live_demo.url + path)
        assert axe_violations(axe, phone) == "", path
    tenant.close()
