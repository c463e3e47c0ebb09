"""The mediator's dashboard: their sectors only, today's dates, counts, alerts, constant queries."""

from datetime import time

import pytest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from residences.teams import setup_sector_team
from tests.factories import ResidencePageFactory, SectorPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture
def mediator_client(client, home, sector, residence):
    team = setup_sector_team(sector, require_approval=False)
    south = SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")
    setup_sector_team(south, require_approval=False)
    ResidencePageFactory(parent=south, title="Les Peupliers", slug="les-peupliers")
    user = get_user_model().objects.create_user("nadia", password="motdepasse-long")
    user.groups.add(team.mediators)
    client.force_login(user)
    client.south = south
    return client


def dashboard(client) -> str:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_today_upcoming_and_shortcuts_of_my_sector_only(
    mediator_client, publish_event, publish_permanence, residence
):
    today = timezone.localdate()
    publish_permanence(
        residence,
        title="Permanence du jour",
        first_date=today,
        start_time=time(23, 0),
        end_time=time(23, 30),
        skip_public_holidays=False,
    )
    publish_event(
        residence,
        title="Atelier demain",
        first_date=today + timezone.timedelta(days=2),
        registration_enabled=True,
        capacity=12,
    )
    publish_event(
        mediator_client.south,
        title="Animation du Sud",
        first_date=today + timezone.timedelta(days=2),
    )
    html = dashboard(mediator_client)
    assert "Ma médiation – Agence Nord" in html
    assert "Permanence du jour" in html and "Annuler cette date" in html
    assert "Atelier demain" in html and "0 / 12" in html
    assert "Animation du Sud" not in html
    assert "Nouvelle animation" in html


def test_dashboard_queries_stay_constant(mediator_client, publish_event, residence):
    today = timezone.localdate()
    publish_event(
        residence,
        first_date=today + timezone.timedelta(days=3),
        registration_enabled=True,
        capacity=5,
    )
    dashboard(mediator_client)
    with CaptureQueriesContext(connection) as small:
        dashboard(mediator_client)
    for day in range(4, 12):
        publish_event(
            residence,
            first_date=today + timezone.timedelta(days=day),
            registration_enabled=True,
            capacity=5,
        )
    with CaptureQueriesContext(connection) as large:
        dashboard(mediator_client)
    assert len(large) == len(small)
