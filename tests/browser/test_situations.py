"""Mediation on a phone (issue #22): a tenant asks for help from the residence page at 360 px;
Nadia, on her phone, turns the request into a situation from the dashboard, logs a visit and a
mediation meeting, closes it; the « Bilan des situations » counts it."""

import re

import pytest

from django.utils import timezone

from residences.situations.models import Action, HelpRequest, Situation

from .conftest import PHONE, axe_violations, new_context, sideways_scroll
from .test_call_list import log_in_as_nadia, settled

pytestmark = pytest.mark.browser


def no_sideways_scroll(page) -> None:
    overflow = sideways_scroll(page)
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at 360 px"


def test_a_tenant_asks_for_help_and_the_mediator_follows_it_to_its_close(browser, axe, live_demo):
    context = new_context(browser, PHONE)
    phone = context.new_page()
    phone.goto(live_demo.url + "/agence-nord/les-tilleuls/")
    phone.get_by_role("link", name="Demander l'aide d'un médiateur").click()
    phone.wait_for_url("**/mediation/demande/**")
    assert phone.get_by_role("heading", level=1).inner_text() == "Demander l'aide d'un médiateur"
    no_sideways_scroll(phone)
    assert axe_violations(axe, phone) == ""
    phone.get_by_label("Votre bâtiment").select_option(label="Bâtiment B")
    phone.get_by_label("Bruit").check()
    phone.get_by_label("Expliquez en quelques mots").fill(
        "Musique très forte chaque nuit depuis deux semaines."
    )
    phone.get_by_label("Votre prénom (facultatif)").fill("Fatou")
    phone.get_by_label("Par téléphone").check()
    phone.get_by_label("Téléphone", exact=True).fill("06 12 34 56 78")
    phone.get_by_label(re.compile("J'accepte")).check()
    phone.get_by_role("button", name="Envoyer ma demande").click()
    phone.wait_for_url("**/mediation/demande-envoyee/**")
    assert phone.get_by_role("heading", level=1).inner_text() == "Votre demande est envoyée"
    reference = phone.locator(".reference").inner_text()
    help_request = HelpRequest.objects.get(reference=reference)
    assert help_request.phone == "+33612345678"
    no_sideways_scroll(phone)
    assert axe_violations(axe, phone) == ""
    context.close()

    # Nadia, on her phone: the dashboard shows the request.
    context = new_context(browser, PHONE)
    admin = context.new_page()
    log_in_as_nadia(admin, live_demo.url)
    no_sideways_scroll(admin)
    admin.get_by_role("link", name=reference).click()
    admin.wait_for_url(f"**/admin/situations/demandes/{help_request.pk}/")
    assert "Musique très forte" in admin.content()
    no_sideways_scroll(admin)
    admin.get_by_role("button", name="Transformer en situation").click()
    situation = Situation.objects.get(request=help_request)
    admin.wait_for_url(f"**/admin/situations/{situation.pk}/modifier/")
    no_sideways_scroll(admin)
    admin.locator("#id_next_step").fill("Réunion de médiation")
    admin.get_by_role("button", name="Enregistrer").click()
    admin.wait_for_url(f"**/admin/situations/{situation.pk}/")
    no_sideways_scroll(admin)

    for kind in ("Visite", "Réunion de médiation"):
        admin.locator("#id_kind").select_option(label=kind)
        admin.get_by_role("button", name="Ajouter", exact=True).click()
        admin.get_by_text(f"Ajouté au journal : {kind}.").wait_for()
        settled(admin)
    assert list(situation.actions.values_list("kind", flat=True)) == [
        Action.Kind.VISIT,
        Action.Kind.MEDIATION_MEETING,
    ]
    no_sideways_scroll(admin)

    admin.get_by_role("link", name="Clôturer").click()
    admin.wait_for_url(f"**/admin/situations/{situation.pk}/cloturer/")
    no_sideways_scroll(admin)
    admin.get_by_label("Accord amiable").check()
    admin.get_by_role("button", name="Clôturer la situation").click()
    admin.get_by_text(re.compile(r"Situation S-\w+ clôturée\.")).wait_for()
    settled(admin)
    situation.refresh_from_db()
    assert (situation.outcome, situation.closed_on) == ("accord", timezone.localdate())

    today = timezone.localdate().isoformat()
    admin.goto(f"{live_demo.url}/admin/situations/bilan/?secteur=tous&du={today}&au={today}")
    no_sideways_scroll(admin)
    assert admin.locator('[data-figure="opened"]').inner_text() == "1"
    assert admin.locator('[data-figure="closed"]').inner_text() == "1"
    assert admin.locator('[data-outcome="Accord amiable"]').inner_text() == "1"
    # The demo's waiting request and this one, both received today.
    assert admin.locator('[data-figure="requests"]').inner_text().startswith("2")
    context.close()
