"""Impossible addresses, coordinates and slugs are refused with a French message at the field."""

import pytest

from django.core.exceptions import ValidationError

from residences.models import ResidencePage
from tests.factories import ResidencePageFactory, SectorPageFactory

pytestmark = pytest.mark.django_db


def errors_of(page) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    "postcode", ["00000", "ABCDE", "1234", "123456", "99000", "96100", "5910 "]
)
def test_impossible_postcode_is_refused(residence, postcode):
    residence.postcode = postcode
    assert (
        "Saisissez un code postal français de 5 chiffres, par exemple 59000."
        in errors_of(residence)["postcode"]
    )


@pytest.mark.parametrize("postcode", ["59100", "01000", "20000", "97400", "75015"])
def test_real_postcodes_are_accepted(residence, postcode):
    residence.postcode = postcode
    residence.full_clean()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", "91", "La latitude doit être comprise entre -90 et 90"),
        ("latitude", "-90.5", "La latitude doit être comprise entre -90 et 90"),
        ("longitude", "180.1", "La longitude doit être comprise entre -180 et 180"),
    ],
)
def test_impossible_coordinates_are_refused(residence, field, value, message):
    residence.latitude, residence.longitude = "50.69", "3.18"
    setattr(residence, field, value)
    assert errors_of(residence)[field][0].startswith(message)


def test_latitude_without_longitude_is_refused(residence):
    residence.latitude, residence.longitude = "50.69", None
    assert errors_of(residence)["longitude"] == [
        "Indiquez la latitude et la longitude, ou aucune des deux."
    ]


def test_phone_must_be_a_real_number(residence):
    residence.caretaker_phone = "12345"
    assert "Ce numéro de téléphone n'est pas valide" in errors_of(residence)["caretaker_phone"][0]
    for number in ("+33 3 20 70 10 01", "0590 12 34 56"):  # a Guadeloupe landline too
        residence.caretaker_phone = number
        residence.full_clean()


def test_residence_slug_is_unique_across_sectors(home, residence):
    other_sector = SectorPageFactory(parent=home, slug="agence-sud")
    clash = ResidencePage(title="Les Tilleuls bis", slug="les-tilleuls")
    with pytest.raises(ValidationError) as excinfo:
        other_sector.add_child(instance=clash)
    assert excinfo.value.message_dict["slug"] == [
        "Une autre résidence utilise déjà cet identifiant d'URL."
    ]
    assert ResidencePage.objects.filter(slug="les-tilleuls").count() == 1
    ResidencePageFactory(parent=other_sector, slug="les-tilleuls-2")
