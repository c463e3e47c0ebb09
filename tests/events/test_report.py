"""The activity report: correct figures for a sector and period, scoped, CSV and printable."""

import csv
import io
from datetime import date, time

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Registration
from events.registrations.services import Party, register
from residences.teams import setup_sector_team
from tests.factories import ResidencePageFactory, SectorPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-04-15 09:00 +02:00", tick=False):
        yield


@pytest.fixture
def activity(publish_event, publish_permanence, residence, home):
    from events.models import Occurrence

    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        outing = publish_event(
            residence, first_date=date(2026, 3, 14), registration_enabled=True, capacity=10
        )
        occurrence = Occurrence.objects.get(page=outing)
        for n, adults in enumerate((2, 3, 1)):
            register(occurrence, Party(first_name=f"P{n}", adults=adults, email=f"p{n}@example.fr"))
        publish_event(
            residence,
            first_date=date(2026, 3, 3),
            frequency="weekly",
            count=4,
            exceptions=[{"kind": "cancelled", "date": date(2026, 3, 10), "reason": "Grève"}],
        )
        publish_permanence(
            residence,
            first_date=date(2026, 3, 2),
            count=5,
            exceptions=[{"kind": "cancelled", "date": date(2026, 3, 16), "reason": "Congés"}],
        )
        south = SectorPageFactory(parent=home, slug="agence-sud", title="Agence Sud")
        publish_event(ResidencePageFactory(parent=south), first_date=date(2026, 3, 20))
    Registration.objects.filter(first_name__in=["P0", "P1"]).update(attended=True)
    return south


def report(client, **params):
    response = client.get(reverse("activity_report"), params)
    assert response.status_code == 200
    return response


def test_figures_for_march(admin_client, activity):
    rows = dict(
        report(admin_client, secteur="agence-nord", du="2026-03-01", au="2026-03-31").context[
            "rows"
        ]
    )
    assert rows == {
        "Animations tenues (dates)": 4,  # the outing + 3 of 4 weekly dates
        "Animations différentes": 2,
        "Dates d'animation annulées": 1,
        "Inscriptions confirmées": 3,
        "Personnes inscrites": 6,
        "Personnes présentes (émargement)": 5,
        "Permanences tenues": 4,  # 2, 9, 23, 30 March (6 April is Easter Monday, beyond the period)
        "Permanences annulées": 1,
    }


def test_defaults_to_last_month_and_the_first_sector(admin_client, activity):
    response = report(admin_client)
    assert response.context["period"].first == date(2026, 3, 1)
    assert response.context["sector"].slug == "agence-nord"


def test_csv_and_printable(admin_client, activity):
    response = admin_client.get(
        reverse("activity_report"),
        {"secteur": "agence-nord", "du": "2026-03-01", "au": "2026-03-31", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Personnes inscrites", "6", "0"] in rows
    printable = admin_client.get(
        reverse("activity_report"), {"secteur": "agence-nord", "format": "imprimer"}
    ).content.decode()
    assert (
        "Rapport d&#x27;activité de la médiation" in printable
        or "Rapport d'activité de la médiation" in printable
    )


def test_mediator_sees_only_their_sector(client, activity, sector):
    team = setup_sector_team(sector, require_approval=False)
    setup_sector_team(activity, require_approval=False)
    user = get_user_model().objects.create_user("nadia", password="motdepasse-long")
    user.groups.add(team.mediators)
    client.force_login(user)
    response = report(client, secteur="agence-sud", du="2026-03-01", au="2026-03-31")
    assert response.context["sector"].slug == "agence-nord"
    assert "Agence Sud" not in response.content.decode()


def test_bad_parameters(admin_client, activity):
    response = report(admin_client, secteur="agence-nord", du="2026-03-31", au="2026-03-01")
    assert (
        "La date de fin doit être le même jour ou après la date de début."
        in response.content.decode()
    )
    for params in ({"du": "n'importe"}, {"secteur": "<script>"}, {"au": "2026-99-99"}):
        assert admin_client.get(reverse("activity_report"), params).status_code == 200


def test_queries_are_constant(admin_client, activity, publish_event, residence):
    report(admin_client, secteur="agence-nord", du="2026-03-01", au="2026-03-31")
    with CaptureQueriesContext(connection) as small:
        report(admin_client, secteur="agence-nord", du="2026-03-01", au="2026-03-31")
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        for day in range(1, 20):
            publish_event(
                residence, first_date=date(2026, 3, day), start_time=time(10), end_time=time(11)
            )
    with CaptureQueriesContext(connection) as large:
        report(admin_client, secteur="agence-nord", du="2026-03-01", au="2026-03-31")
    assert len(large) == len(small)
