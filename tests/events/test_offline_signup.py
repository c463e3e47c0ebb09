"""Signing up without internet: a phone number on the page, the poster and the hall sheet."""

from datetime import date, time

import pytest
import time_machine

from django.urls import reverse

from events.models import Occurrence
from tests.factories import MediatorProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def workshop(publish_event, residence):
    return publish_event(
        residence,
        title="Atelier cuisine",
        frequency="weekly",
        count=4,
        registration_enabled=True,
        capacity=12,
        exceptions=[
            {
                "kind": "moved",
                "date": date(2026, 3, 10),
                "new_date": date(2026, 3, 11),
                "new_start_time": time(10),
                "new_end_time": time(12),
            }
        ],
    )


def poster(admin_client, page) -> str:
    return admin_client.get(reverse("event_poster", args=(page.pk,))).content.decode()


def test_the_phone_falls_back_from_the_page_to_the_organiser_sector_and_service(
    admin_client, client, workshop, sector, home
):
    from portal.models import PortalSettings

    settings = PortalSettings.for_site(home.get_site())
    settings.contact_phone = "03 20 00 00 01"
    settings.save()
    assert "03 20 00 00 01" in poster(admin_client, workshop)
    sector.phone = "03 20 00 00 02"
    sector.save_revision().publish()
    workshop.refresh_from_db()
    assert "03 20 00 00 02" in poster(admin_client, workshop)
    nadia = MediatorProfileFactory(phone="06 12 34 56 78")
    workshop.organising_mediators.add(nadia)
    workshop.save_revision().publish()
    assert "Inscription par téléphone\u00a0: <strong>06 12 34 56 78</strong>" in poster(
        admin_client, workshop
    )
    workshop.signup_phone = "03 20 99 99 99"
    workshop.save_revision().publish()
    assert "03 20 99 99 99" in poster(admin_client, workshop)
    page = client.get(workshop.url).content.decode()
    assert 'Inscrivez-vous par téléphone au <a href="tel:0320999999">03 20 99 99 99</a>' in page


def test_a_page_without_sign_up_shows_no_phone_to_sign_up(admin_client, publish_event, residence):
    page = publish_event(residence, title="Fête des voisins", signup_phone="03 20 99 99 99")
    assert "Inscription par téléphone" not in poster(admin_client, page)


def test_moved_dates_are_marked_on_the_poster_and_the_hall_sheet(
    admin_client, client, workshop, publish_permanence, residence
):
    text = poster(admin_client, workshop)
    assert "(date modifiée, initialement le mardi 10 mars 2026 à 14h)" in text
    publish_permanence(
        residence,
        exceptions=[
            {
                "kind": "moved",
                "date": date(2026, 3, 17),
                "new_date": date(2026, 3, 18),
                "new_start_time": time(9),
                "new_end_time": time(11),
            }
        ],
    )
    sheet = client.get(
        reverse("events:printable_permanences", args=(residence.slug,)), {"mois": "2026-03"}
    ).content.decode()
    assert "Date modifiée</strong> (initialement le mardi 17 mars 2026 à 14h)" in sheet
    assert Occurrence.objects.filter(status="moved").count() == 2


def test_a_bad_signup_phone_is_refused_at_the_field(admin_client, workshop):
    from django.core.exceptions import ValidationError

    workshop.signup_phone = "12"
    with pytest.raises(ValidationError) as error:
        workshop.full_clean()
    assert "n'est pas valide" in str(error.value.message_dict["signup_phone"])
