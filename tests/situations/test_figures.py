"""« Bilan des situations »: opened, closed, open at the end, breakdowns, median time to close,
tenants' requests; anonymous, as CSV, and as the fragment the activity report places."""

import csv
import io
from datetime import date

import pytest

from django.template import Context, Template
from django.urls import reverse

from residences.situations import figures, services
from residences.situations.models import HelpRequest
from tests.situations.conftest import open_situation, tenant_request

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)


def closed(world, opened_on, closed_on, outcome, **fields):
    situation = open_situation(world.tilleuls, world.mediator_a, opened_on=opened_on, **fields)
    services.close(situation, outcome=outcome, closed_on=closed_on, note="", user=world.mediator_a)
    return situation


@pytest.fixture
def november(world):
    # Opened before, closed inside: closed, not opened.
    closed(world, date(2026, 10, 20), date(2026, 11, 4), "accord", category="bruit")
    # Opened and closed inside (10 days), level 3.
    closed(world, date(2026, 11, 2), date(2026, 11, 12), "echec", category="conflit", level=3)
    # Opened inside, still open at the end.
    open_situation(world.tilleuls, world.mediator_a, opened_on=date(2026, 11, 20), category="bruit")
    # Opened inside, closed after the period: open at the end.
    closed(world, date(2026, 11, 25), date(2026, 12, 2), "dialogue", category="animaux")
    # Out of the period on both sides, and another sector.
    closed(world, date(2026, 9, 1), date(2026, 10, 1), "accord")
    open_situation(world.peupliers, world.mediator_b, opened_on=date(2026, 11, 10))
    # Requests: two in November in Nord (one turned into a situation), one in Sud.
    inside = tenant_request(world.tilleuls)
    tenant_request(world.tilleuls)
    tenant_request(world.peupliers)
    HelpRequest.objects.update(received_at="2026-11-15T10:00:00+01:00")
    services.convert_request(inside, world.mediator_a)
    return world


def test_the_figures_of_a_period(november):
    result = figures.compute([november.north.pk], FIRST, LAST)
    assert (result.opened, result.closed, result.open_at_end) == (3, 2, 2)
    assert result.median_days_to_close == 12.5  # 15 and 10 days
    assert (result.requests, result.requests_turned_into_situations) == (2, 1)
    assert result.outcomes == [("Accord amiable", 1), ("Échec", 1)]
    by = {b.title: b.rows for b in result.breakdowns}
    assert by["Par catégorie"] == [
        ("Bruit", 1, 1, 1),
        ("Animaux", 1, 0, 1),
        ("Dispute entre voisins", 1, 1, 0),
    ]
    assert by["Par niveau d'intensité"] == [
        ("2 – Conflit", 2, 1, 2),
        ("3 – Conflit grave ou danger", 1, 1, 0),
    ]
    assert by["Par résidence"] == [("Les Tilleuls", 3, 2, 2)]


def test_the_view_and_its_csv_hold_no_personal_detail(client, november):
    client.force_login(november.mediator_a)
    params = {"du": "2026-11-01", "au": "2026-11-30"}
    page = client.get(reverse("situations_figures"), params).content.decode()
    assert 'data-figure="opened">3<' in page and 'data-figure="closed">2<' in page
    assert "voisin du dessus" not in page and "B 3e" not in page
    response = client.get(reverse("situations_figures"), {**params, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Situations ouvertes", "3"] in rows
    assert ["Durée médiane avant clôture (jours)", "12.5"] in rows
    assert ["Demandes reçues de locataires", "2"] in rows
    assert "voisin du dessus" not in response.content.decode("utf-8-sig")


def test_a_bad_period_says_so_in_french(client, november):
    client.force_login(november.mediator_a)
    page = client.get(reverse("situations_figures"), {"du": "2026-11-30", "au": "2026-11-01"})
    assert "La date de fin doit être" in page.content.decode()


def test_the_report_fragment_is_for_the_sectors_team_only(november):
    template = Template(
        "{% load situations_tags %}{% situations_report_section user sector first last %}"
    )
    context = {"sector": november.north, "first": FIRST, "last": LAST}
    shown = template.render(Context({**context, "user": november.manager_a}))
    assert "Bilan des situations" in shown and 'data-figure="opened">3<' in shown
    hidden = template.render(Context({**context, "user": november.mediator_b}))
    assert "Bilan des situations" not in hidden
