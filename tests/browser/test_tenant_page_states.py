"""Every hard state of the tenant pages, on a 360 px phone, with and without JavaScript: the page
says the state in words, never « None », never scrolls sideways, and axe-core finds no WCAG 2.1
A/AA violation (without JavaScript, on the very HTML that browser received)."""

from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from events.models import EventException, ManageLink, Occurrence, Registration
from events.registrations.services import Party, cancel, register
from residences.models import ResidencePage
from tests.french import fr
from tests.security.pages import event_page, publish

from .conftest import PHONE, axe_violations, axe_violations_without_js, new_context, sideways_scroll

pytestmark = pytest.mark.browser


def new_event(slug: str, days: int, **fields):
    residence = ResidencePage.objects.get(slug="les-tilleuls")
    day = timezone.localdate() + timedelta(days=days)
    fields = {"registration_enabled": True, "capacity": 3} | fields
    return publish(
        residence, event_page(title=f"Goûter {slug}", slug=slug, first_date=day, **fields)
    )


def manage_url(registration) -> str:
    return reverse("events:manage", args=(ManageLink.issue(registration),))


def cancelled_date():
    page = new_event("goûter-annule", 9)
    day = Occurrence.objects.get(page=page).local_start.date()
    page.exceptions.add(EventException(kind="cancelled", date=day, reason="Salle inondée"))
    page.save_revision().publish()
    occurrence = Occurrence.objects.get(page=page)
    return (
        reverse("events:signup", args=(occurrence.pk,)),
        ["Cette date est annulée"],
        ["Places restantes"],
    )


def full_date():
    occurrence = Occurrence.objects.get(page__slug="sortie-a-la-mer")
    return reverse("events:signup", args=(occurrence.pk,)), ["liste d'attente"], []


def waiting_registration():
    registration = Registration.objects.filter(
        occurrence__page__slug="sortie-a-la-mer", status=Registration.Status.WAITING
    ).first()
    return manage_url(registration), [f"position {registration.waiting_position}"], []


def cancelled_registration():
    page = new_event("goûter-desiste", 11)
    occurrence = Occurrence.objects.get(page=page)
    registration = register(occurrence, Party(first_name="Odile", email="odile@exemple.fr"))
    cancel(registration)
    return manage_url(registration), ["Annulée", "Vous inscrire à nouveau"], ["sera annulée"]


def phone_only_registration():
    page = new_event("goûter-telephone", 12)
    occurrence = Occurrence.objects.get(page=page)
    registration = register(occurrence, Party(first_name="Marcel", phone="01 23 45 67 89"))
    return (
        manage_url(registration),
        [registration.reference, "Mon inscription"],
        ["Utilisez le lien reçu"],
    )


def moved_date():
    page = new_event("goûter-deplace", 13)
    occurrence = Occurrence.objects.get(page=page)
    day = occurrence.local_start.date()
    page.exceptions.add(EventException(kind="moved", date=day, new_date=day + timedelta(days=1)))
    page.save_revision().publish()
    return page.url, ["Date modifiée"], []


def empty_agenda():
    far = (timezone.localdate() + timedelta(days=3000)).isoformat()
    return f"/agenda/?du={far}&au={far}", ["Aucune animation ne correspond"], []


def filtered_agenda():
    return "/agenda/?residence=les-tilleuls", ["à venir"], []


def alert():
    return "/", ["Les Tilleuls"], []


STATES = {
    "cancelled-date": cancelled_date,
    "full-date": full_date,
    "waiting": waiting_registration,
    "cancelled-registration": cancelled_registration,
    "phone-only": phone_only_registration,
    "moved-date": moved_date,
    "empty-agenda": empty_agenda,
    "filtered-agenda": filtered_agenda,
    "home-with-alert": alert,
}
_prepared: dict[str, tuple] = {}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("state", list(STATES))
def test_each_state_reads_right_on_a_phone(browser, axe, shared_live_demo, state, javascript):
    if state not in _prepared:
        _prepared[state] = STATES[state]()
    path, expected, forbidden = _prepared[state]
    context = new_context(browser, PHONE, javascript=javascript)
    phone = context.new_page()
    response = phone.goto(shared_live_demo.url + path)
    assert response.status == 200, path
    text = phone.inner_text("body")
    for words in expected:
        assert fr(words) in text, (state, words, text[:600])
    for words in forbidden + ["None"]:
        assert fr(words) not in text, (state, words)
    assert sideways_scroll(phone) <= 0, state
    if javascript:
        assert axe_violations(axe, phone) == "", state
    else:
        assert axe_violations_without_js(browser, axe, phone) == "", state
    context.close()
