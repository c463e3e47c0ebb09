"""Mediators create and edit events in the French admin; impossible dates are refused at the field."""

from datetime import date

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventPage, Occurrence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(user)
    return client


def event_form(category, exceptions=(), **overrides) -> dict:
    data = {
        "title": "Atelier tricot",
        "slug": "atelier-tricot",
        "summary": "On tricote ensemble.",
        "category": category.pk,
        "audience": "seniors",
        "image_alt": "",
        "body": streamfield([("paragraph", rich_text("<p>Laine fournie.</p>"))]),
        "venue_name": "Salle commune",
        "venue_address": "",
        "access_details": "",
        "price": "",
        "accessibility": "",
        "first_date": "2026-03-05",
        "start_time": "14:00",
        "end_time": "16:00",
        "end_date": "",
        "frequency": "weekly",
        "interval": "1",
        "until": "2026-06-25",
        "count": "",
        "exceptions": inline_formset(
            [
                {
                    "kind": "cancelled",
                    "date": "",
                    "reason": "",
                    "new_date": "",
                    "new_start_time": "",
                    "new_end_time": "",
                    "venue_note": "",
                }
                | row
                for row in exceptions
            ]
        ),
        "action-publish": "publish",
    }
    weekdays = overrides.pop("weekdays", [])
    data.update(overrides)
    form_data = nested_form_data(data)
    form_data["weekdays"] = weekdays  # a multiple-choice field: several values under one name
    return form_data


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("events", "eventpage", parent.pk))


def test_edit_form_is_french(admin_client, residence):
    html = admin_client.get(add_url(residence)).content.decode()
    for label in (
        "Répétition",
        "Jours de la semaine",
        "Dates particulières",
        "jeudi",
        "Motif affiché",
    ):
        assert label in html, label


def test_weekly_event_with_a_cancelled_date_is_published(admin_client, residence, category):
    data = event_form(
        category, [{"kind": "cancelled", "date": "2026-03-19", "reason": "Formation"}]
    )
    response = admin_client.post(add_url(residence), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    event = EventPage.objects.get(slug="atelier-tricot")
    assert event.live
    occurrences = Occurrence.objects.filter(page=event)
    assert occurrences.count() == 17
    cancelled = occurrences.get(status="cancelled")
    assert (cancelled.local_start.date(), cancelled.reason) == (date(2026, 3, 19), "Formation")


@pytest.mark.parametrize(
    ("overrides", "exceptions", "message"),
    [
        ({"end_time": "13:00"}, [], "L'heure de fin doit être après l'heure de début."),
        (
            {
                "first_date": "2026-03-29",
                "start_time": "02:30",
                "end_time": "04:00",
                "frequency": "none",
                "until": "",
            },
            [],
            "n'existe pas (passage à l'heure d'été)",
        ),
        (
            {"until": "2026-01-01"},
            [],
            "La date de fin de la série doit être après la première date.",
        ),
        ({"weekdays": ["1"]}, [], "La première date est un jeudi"),
        (
            {"venue_name": ""},
            [],
            "Choisissez la salle commune d'une résidence, les locaux d'un partenaire ou indiquez un lieu.",
        ),
        ({}, [{"kind": "cancelled", "date": "2026-03-20"}], "n'est pas une date de la série"),
        (
            {},
            [{"kind": "moved", "date": "2026-03-19", "new_date": "2026-03-30"}],
            "Une date déplacée doit rester entre les dates voisines",
        ),
        (
            {"title": "<script>alert(1)</script>" * 50},
            [],
            "Assurez-vous que cette valeur comporte au plus",
        ),
    ],
)
def test_impossible_input_is_refused_and_nothing_saved(
    admin_client, residence, category, overrides, exceptions, message
):
    response = admin_client.post(add_url(residence), event_form(category, exceptions, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert "<script>alert(1)</script>" not in html
    assert not EventPage.objects.filter(slug="atelier-tricot").exists()
    assert not Occurrence.objects.exists()


def test_saving_a_draft_of_a_live_event_changes_nothing_public(admin_client, residence, category):
    admin_client.post(add_url(residence), event_form(category))
    event = EventPage.objects.get(slug="atelier-tricot")
    before = list(Occurrence.objects.filter(page=event).values_list("start", flat=True))
    edit = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    data = event_form(category, start_time="09:00", end_time="10:00")
    del data["action-publish"]
    response = admin_client.post(edit, data)
    assert response.status_code == 302
    assert list(Occurrence.objects.filter(page=event).values_list("start", flat=True)) == before
