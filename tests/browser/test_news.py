"""A mediator publishes an urgent alert for one building; it shows where it should, and only there."""

from datetime import timedelta

import pytest

from django.utils import timezone

from residences.models import Building, ResidencePage

from .conftest import DESKTOP, PHONE, axe_violations, new_context
from .test_event_publishing import log_in

pytestmark = pytest.mark.browser


def test_urgent_alert_for_one_building(browser, axe, live_demo):
    residence = ResidencePage.objects.get(slug="le-clos-fleuri")
    building = Building.objects.get(residence=residence, name="Bâtiment C")
    now = timezone.localtime()

    context = new_context(browser, DESKTOP)
    admin = context.new_page()
    log_in(admin, live_demo.url)
    admin.goto(f"{live_demo.url}/admin/pages/add/residences/newspage/{residence.pk}/")
    admin.locator("#id_title").fill("Panne d'ascenseur au bâtiment C")
    admin.locator("#id_category").select_option("info-pratique")
    admin.locator("#id_summary").fill("Le technicien intervient demain matin.")
    admin.locator(f"input[name=buildings][value='{building.pk}']").check()
    admin.locator("#id_is_alert").check()
    admin.locator("#id_alert_level").select_option("urgent")
    admin.locator("#id_alert_from").fill((now - timedelta(minutes=5)).strftime("%d/%m/%Y %H:%M"))
    admin.locator("#id_alert_until").fill((now + timedelta(days=1)).strftime("%d/%m/%Y %H:%M"))
    admin.keyboard.press("Escape")
    admin.locator("#id_title").click()
    admin.get_by_role("button", name="Plus d'actions").click()
    admin.get_by_role("button", name="Publier").click()
    admin.wait_for_url(f"**/admin/pages/{residence.pk}/")
    context.close()

    tenant = new_context(browser, PHONE)
    phone = tenant.new_page()
    phone.goto(live_demo.url + residence.url)
    banner = phone.locator(".alerts")
    assert "Panne d'ascenseur au bâtiment C" in banner.inner_text()
    assert "Urgent – Le Clos Fleuri – Bâtiment C" in banner.text_content()
    assert axe_violations(axe, phone) == ""

    phone.goto(live_demo.url + ResidencePage.objects.get(slug="les-peupliers").url)
    assert "Panne d'ascenseur" not in phone.content()

    for path in (
        "/actualites/",
        "/actualites/?residence=le-clos-fleuri",
        residence.url + "panne-dascenseur-au-batiment-c/",
    ):
        phone.goto(live_demo.url + path)
        assert phone.locator("h1").count() == 1
        assert axe_violations(axe, phone) == "", path
    tenant.close()
