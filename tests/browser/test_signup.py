"""A tenant signs up on a phone, manages the registration from the e-mail, and frees a seat."""

import re

import pytest

from django.core import mail

from events.models import EventPage, Occurrence, Registration, SeatCounter
from events.registrations.services import Party, register, set_capacity
from tests.french import fr

from .conftest import PHONE, axe_violations, new_context

pytestmark = pytest.mark.browser


def test_tenant_signs_up_changes_and_cancels_and_the_waiting_family_is_promoted(
    browser, axe, live_demo
):
    outing = EventPage.objects.get(slug="sortie-a-la-mer")
    occurrence = Occurrence.objects.get(page=outing)
    set_capacity(occurrence, 21)  # the demo's waiting families get in: 17 taken, 4 left
    assert SeatCounter.objects.get(occurrence=occurrence).seats_taken == 17
    mail.outbox.clear()

    context = new_context(browser, PHONE)
    phone = context.new_page()
    phone.goto(live_demo.url + outing.url)
    phone.get_by_role("link", name=re.compile("S'inscrire")).first.click()
    assert phone.get_by_role("heading", level=1).inner_text() == fr(
        "S'inscrire : Sortie à la mer à Malo-les-Bains"
    )
    assert axe_violations(axe, phone) == ""

    phone.get_by_label("Votre prénom").fill("Nadia")
    phone.get_by_label("Nombre d'adultes").fill("2")
    phone.get_by_label("Nombre d'enfants").fill("2")
    phone.get_by_label("E-mail").fill("nadia@exemple.org")
    phone.get_by_label(re.compile("J'accepte")).check()
    phone.get_by_role("button", name="Je m'inscris").click()
    assert "votre inscription est confirmée" in phone.content()
    assert axe_violations(axe, phone) == ""

    [confirmation] = [m for m in mail.outbox if m.to == ["nadia@exemple.org"]]
    link = re.search(r"http\S+/inscription/gerer/\S+/", confirmation.body).group(0)
    phone.goto(live_demo.url + "/inscription/gerer/" + link.split("/inscription/gerer/")[1])
    assert phone.get_by_role("heading", level=1).inner_text() == "Mon inscription"
    assert axe_violations(axe, phone) == ""

    martin = register(occurrence, Party(first_name="Martin", adults=3, email="martin@exemple.org"))
    assert martin.status == "waiting"  # the outing is full

    phone.get_by_label("Nombre d'enfants").fill("1")
    phone.get_by_role("button", name="Enregistrer").click()
    assert "Le nombre de personnes est mis à jour." in phone.content()
    assert Registration.objects.get(email="nadia@exemple.org").seats == 3
    martin.refresh_from_db()
    assert martin.status == "waiting"  # one free seat, a party of three: skipped, not split

    phone.get_by_role("button", name="Annuler mon inscription").click()
    phone.get_by_role("button", name="Oui, annuler mon inscription").click()
    assert "Votre inscription est annulée" in phone.content()
    martin.refresh_from_db()
    assert martin.status == "confirmed"
    assert any(
        m.to == ["martin@exemple.org"] and "place s'est libérée" in m.subject for m in mail.outbox
    )
    context.close()
