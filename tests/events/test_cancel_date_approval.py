"""« Annuler une date » by a mediator who needs approval: what the managers approve or reject.

tests/events/test_permanence_admin.py shows the request is submitted; here it goes through the
sector's workflow to the end, as a manager acts on it in the admin.
"""

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import WorkflowState

from events.models import Occurrence

pytestmark = pytest.mark.django_db

TUESDAY = "2026-03-10"
REASON = "stage de secourisme"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-03 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def submitted(client, publish_permanence, residence, sector):
    """Nadia (mediator, no publish right) has asked to cancel Tuesday 10 March."""
    from residences.teams import setup_sector_team

    permanence = publish_permanence(residence, first_date="2026-03-03")
    team = setup_sector_team(sector, require_approval=True)
    users = get_user_model().objects
    nadia = users.create_user("nadia", email="nadia@example.fr", password="motdepasse-long")
    nadia.groups.add(team.mediators)
    claire = users.create_user("claire", email="claire@example.fr", password="motdepasse-long")
    claire.groups.add(team.managers)
    client.force_login(nadia)
    response = client.post(
        reverse("cancel_date", args=(permanence.pk,)),
        {"date": TUESDAY, "reason": REASON},
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(permanence.pk), status="in_progress")
    client.force_login(claire)
    return permanence, state


def act(client, permanence, state, action: str):
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(permanence.pk, action, state.current_task_state.pk),
    )
    response = client.post(url, {"comment": "vu"})
    assert response.status_code in (200, 302)
    state.refresh_from_db()


def tuesday(permanence) -> Occurrence:
    return Occurrence.objects.get(page=permanence, start__date=TUESDAY)


def test_the_request_carries_the_cancellation_the_mediator_typed(submitted):
    permanence, state = submitted
    requested = state.content_object.get_latest_revision_as_object()
    assert [(e.kind, str(e.date), e.reason) for e in requested.exceptions.all()] == [
        ("cancelled", TUESDAY, REASON)
    ]
    assert tuesday(permanence).status != "cancelled"


def test_a_manager_approves_and_tenants_see_the_date_cancelled(client, submitted):
    permanence, state = submitted
    act(client, permanence, state, "approve")
    assert state.status == WorkflowState.STATUS_APPROVED
    assert (tuesday(permanence).status, tuesday(permanence).reason) == (
        "cancelled",
        REASON,
    )
    permanence.refresh_from_db()
    assert permanence.live and not permanence.has_unpublished_changes
    client.logout()
    html = client.get(permanence.url).content.decode()
    assert REASON in html


def test_a_manager_rejects_and_the_date_stays_open(client, submitted):
    permanence, state = submitted
    act(client, permanence, state, "reject")
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert tuesday(permanence).status != "cancelled"
    client.logout()
    assert REASON not in client.get(permanence.url).content.decode()
