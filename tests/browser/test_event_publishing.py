"""A mediator publishes a weekly event with one cancelled date; a tenant finds it on a phone."""

import re
from datetime import timedelta

import pytest

from django.utils import timezone

from events.models import EventPage, Occurrence
from residences.models import ResidencePage
from tests.french import fr

from .conftest import DESKTOP, axe_violations, new_context

pytestmark = pytest.mark.browser


def log_in(page, base_url):
    page.goto(base_url + "/admin/login/")
    page.locator("input[name=username]").fill("admin")
    page.locator("input[name=password]").fill("demo-trait-d-union")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")


def test_mediator_publishes_weekly_event_and_tenant_finds_it(browser, axe, live_demo):
    today = timezone.localdate()
    first = today + timedelta(days=(3 - today.weekday()) % 7 or 7)  # next Thursday
    cancelled = first + timedelta(weeks=2)
    until = first + timedelta(weeks=8)
    residence = ResidencePage.objects.get(slug="les-tilleuls")

    context = new_context(browser, DESKTOP)
    admin = context.new_page()
    log_in(admin, live_demo.url)
    admin.goto(f"{live_demo.url}/admin/pages/add/events/eventpage/{residence.pk}/")
    admin.locator("#id_title").fill("Club de scrabble")
    admin.locator("#id_summary").fill("Parties de scrabble conviviales, tous niveaux.")
    admin.locator("#id_category").select_option(label="Culture")
    admin.locator("#id_venue_name").fill("Salle commune du bâtiment A")

    admin.get_by_role("tab", name="Dates").click()
    admin.locator("#id_first_date").fill(first.strftime("%d/%m/%Y"))
    admin.locator("#id_start_time").fill("14:00")
    admin.locator("#id_end_time").fill("16:30")
    admin.locator("#id_frequency").select_option("weekly")
    admin.locator("#id_until").fill(until.strftime("%d/%m/%Y"))
    admin.keyboard.press("Escape")
    admin.locator("#id_count").click()  # leave the date picker
    add_row = admin.get_by_role("button", name=re.compile("Ajouter .*Date particulière"))
    add_row.scroll_into_view_if_needed()
    admin.wait_for_timeout(300)
    add_row.click()
    admin.locator("#id_exceptions-0-date").fill(cancelled.strftime("%d/%m/%Y"))
    admin.locator("#id_exceptions-0-reason").fill("Sortie au musée ce jour-là")

    admin.get_by_role("button", name="Plus d'actions").click()
    admin.get_by_role("button", name="Publier").click()
    admin.wait_for_url(f"**/admin/pages/{residence.pk}/")
    assert "publiée" in admin.content()
    context.close()

    event = EventPage.objects.get(title="Club de scrabble")
    assert event.live and event.frequency == "weekly"
    assert Occurrence.objects.filter(page=event).count() == 9
    assert Occurrence.objects.get(page=event, status="cancelled").local_start.date() == cancelled

    tenant = new_context(browser)
    phone = tenant.new_page()
    phone.goto(live_demo.url + "/agenda/")
    phone.get_by_text("Filtrer les animations").click()
    phone.get_by_label("Résidence").select_option(label="Les Tilleuls")
    phone.get_by_label("Catégorie").select_option(label="Culture")
    phone.get_by_role("button", name="Afficher").click()
    assert phone.get_by_role("link", name="Club de scrabble").count() >= 2
    assert fr("Motif : Sortie au musée ce jour-là") in phone.inner_text("body")
    assert axe_violations(axe, phone) == ""

    phone.locator("#recherche-site").fill("scrabble")
    phone.locator("form.site-search button").click()
    phone.get_by_role("link", name="Club de scrabble").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Club de scrabble"
    assert "Tous les jeudis" in phone.content()
    assert phone.locator(".badge--cancelled").count() == 1
    assert axe_violations(axe, phone) == ""
    tenant.close()
