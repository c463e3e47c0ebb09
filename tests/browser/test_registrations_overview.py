"""At the door on a 360 px phone (#20, points 2 and 7): nadia opens « Inscriptions » from the admin
menu, finds Karim's registration to the landlord-wide outing by the reference he reads out, and
marks him present. Nothing scrolls sideways, every button is a 44 px target, and the attendance
is stored. The per-date page, the call list and the dashboard hold at 360 px too."""

import pytest

from events.models import Occurrence

from .conftest import PHONE, axe_violations, new_context, sideways_scroll
from .test_call_list import log_in_as_nadia, settled

pytestmark = pytest.mark.browser

# Visible buttons and fields of the main area smaller than 44 × 44 px (WCAG 2.5.5's size).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main .tdu-mobile button, main .tdu-mobile .button, main .tdu-mobile input:not([type=hidden]),'
    + ' main .tdu-mobile select')]
    .filter(e => e.offsetParent !== null)
    .map(e => [e.getBoundingClientRect(), e.textContent.trim() || e.name || e.id])
    .filter(([r]) => r.width < 44 || r.height < 44)
    .map(([r, name]) => `${name}: ${Math.round(r.width)}×${Math.round(r.height)}`)"""


def assert_fits_the_phone(page):
    assert page.evaluate("() => window.innerWidth") == PHONE["width"]
    assert sideways_scroll(page) <= 0
    assert page.evaluate(SMALL_TARGETS) == []


def open_from_the_menu(page, label):
    """Wagtail's sidebar is folded on a phone: open it, then follow the item."""
    item = page.locator("aside").get_by_role("link", name=label, exact=True)
    if not item.is_visible():
        page.locator("aside").get_by_role(
            "button", name="Afficher/masquer la barre latérale"
        ).click()
    item.click()


def test_mediator_finds_a_registration_by_reference_and_marks_attendance(browser, axe, live_demo):
    outing = Occurrence.objects.get(page__slug="sortie-a-la-mer")
    karim = outing.registrations.get(first_name="Karim")
    context = new_context(browser, PHONE)
    phone = context.new_page()
    log_in_as_nadia(phone, live_demo.url)
    assert_fits_the_phone(phone)  # the dashboard

    open_from_the_menu(phone, "Inscriptions")
    phone.wait_for_url("**/admin/inscriptions/")
    assert "inscriptions à des dates à venir" in phone.locator("main").inner_text()
    assert_fits_the_phone(phone)
    assert axe_violations(axe, settled(phone)) == ""

    # Karim reads out his reference as people do: lower case, in pairs.
    spoken = " ".join(karim.reference[i : i + 2] for i in (0, 2, 4)).lower()
    phone.get_by_label("Prénom ou référence").fill(spoken)
    phone.get_by_role("button", name="Filtrer").click()
    phone.wait_for_url("**/admin/inscriptions/?**")
    cards = phone.locator("table.tdu-cards tbody tr")
    assert cards.count() == 1
    card = cards.first
    assert "Karim" in card.inner_text() and karim.reference in card.inner_text()
    assert "Sortie à la mer à Malo-les-Bains" in card.inner_text()
    # One card: the cells stack, so the card is no wider than the screen.
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_fits_the_phone(phone)

    card.get_by_role("button", name=f"Présent·e : Karim, réf. {karim.reference}").click()
    phone.wait_for_url("**/admin/inscriptions/?**")
    assert "Karim : présent·e, c'est noté." in phone.locator("body").inner_text()
    assert "Présent·e" in phone.locator("table.tdu-cards td.tdu-attendance").inner_text()
    assert_fits_the_phone(phone)
    assert axe_violations(axe, settled(phone)) == ""

    karim.refresh_from_db()
    assert karim.attended is True

    # The date's own page (attendance at the door, a walk-in) and the call list fit too.
    phone.goto(f"{live_demo.url}/admin/dates/{outing.pk}/inscrits/")
    assert "12 / 12 places prises" in phone.locator("main").inner_text()
    assert_fits_the_phone(phone)
    phone.get_by_label("Prénom (ou prénom et initiale)").fill("Mme Diallo")
    phone.get_by_label("Inscrire même si c'est complet").check()
    phone.locator("form:has(input[value=ajouter])").get_by_role("button", name="Inscrire").click()
    phone.wait_for_url(f"**/admin/dates/{outing.pk}/inscrits/")
    assert outing.registrations.get(first_name="Mme Diallo").status == "confirmed"
    assert_fits_the_phone(phone)

    open_from_the_menu(phone, "À appeler")
    phone.wait_for_url("**/admin/a-appeler/")
    assert_fits_the_phone(phone)
    context.close()
