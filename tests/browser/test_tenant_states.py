"""The sign-up and manage pages in their hard states, on a 360 px phone, with and without
JavaScript: the consent error, the error summary, cancelling with a confirmation, a dead link."""

import re

import pytest

from events.models import EventPage, Occurrence, Registration
from tests.french import fr

from .conftest import PHONE, axe_violations, axe_violations_without_js, new_context, sideways_scroll

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_forgotten_consent_is_said_at_the_top_and_at_the_box(browser, axe, live_demo, javascript):
    outing = EventPage.objects.get(slug="sortie-a-la-mer")
    occurrence = Occurrence.objects.get(page=outing)
    context = new_context(browser, PHONE, javascript=javascript)
    phone = context.new_page()
    phone.goto(f"{live_demo.url}/inscription/date/{occurrence.pk}/")
    form_height = phone.evaluate("document.querySelector('form.signup-form').offsetHeight")
    phone.get_by_label("Votre prénom").fill("Awa")
    phone.get_by_label("E-mail").fill("awa@exemple.org")
    phone.get_by_role("button", name="Je m'inscris").click()

    summary = phone.locator(".error-summary")
    assert "Votre inscription n'est pas encore enregistrée" in summary.inner_text()
    link = summary.get_by_role("link", name=re.compile("J'accepte"))
    assert link.get_attribute("href") == "#id_consent"
    assert phone.get_by_label("Votre prénom").input_value() == "Awa"  # nothing lost
    # The error goes under the box: the page grows by its messages, not by thousands of px.
    height = phone.evaluate("document.querySelector('form.signup-form').offsetHeight")
    assert height < form_height + 400, (form_height, height)
    assert sideways_scroll(phone) <= 0
    if javascript:
        assert axe_violations(axe, phone) == ""
    else:
        assert axe_violations_without_js(browser, axe, phone) == ""
    assert not Registration.objects.filter(email="awa@exemple.org").exists()
    context.close()


def test_cancelling_asks_first_and_offers_to_come_back(browser, axe, live_demo):
    from events.models import ManageLink

    registration = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, occurrence__page__slug="sortie-a-la-mer"
    ).first()
    token = ManageLink.issue(registration)
    context = new_context(browser, PHONE, javascript=False)
    phone = context.new_page()
    phone.goto(f"{live_demo.url}/inscription/gerer/{token}/")
    phone.get_by_role("button", name="Annuler mon inscription").click()
    assert phone.get_by_role("heading", level=1).inner_text() == fr("Annuler mon inscription ?")
    phone.get_by_role("link", name="Non, je garde mon inscription").click()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    phone.get_by_role("button", name="Annuler mon inscription").click()
    phone.get_by_role("button", name="Oui, annuler mon inscription").click()
    assert "Votre inscription est annulée" in phone.content()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert "position None" not in phone.content()
    context.close()


def test_a_dead_link_explains_itself(browser, axe, live_demo):
    context = new_context(browser, PHONE)
    phone = context.new_page()
    response = phone.goto(f"{live_demo.url}/inscription/gerer/lien-coupe/")
    assert response.status == 404
    assert phone.get_by_role("heading", level=1).inner_text() == (
        "Ce lien d'inscription ne fonctionne pas"
    )
    assert axe_violations(axe, phone) == ""
    context.close()
