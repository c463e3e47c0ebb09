"""seed_demo builds the demo landlord, and running it again changes nothing."""

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page, Revision, Site

from events.models import EventPage, Occurrence, PermanencePage, Registration, SeriesVersion
from residences.models import (
    Building,
    MediatorProfile,
    NewsPage,
    Partner,
    ResidencePage,
    SectorPage,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.engine]


def snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "sites": Site.objects.count(),
        "sectors": SectorPage.objects.live().count(),
        "residences": ResidencePage.objects.live().count(),
        "buildings": Building.objects.count(),
        "mediators": MediatorProfile.objects.count(),
        "partners": Partner.objects.count(),
        "users": get_user_model().objects.count(),
        "events": EventPage.objects.live().count(),
        "news": NewsPage.objects.live().count(),
        "permanences": PermanencePage.objects.live().count(),
        "registrations": list(Registration.objects.values_list("status", "seats")),
        "occurrences": Occurrence.objects.count(),
        "versions": list(SeriesVersion.objects.values_list("sequence", flat=True)),
    }


def test_seed_demo_builds_a_realistic_landlord():
    call_command("seed_demo", verbosity=0)
    counts = snapshot()
    assert counts["sectors"] == 2
    assert counts["residences"] == 6
    assert counts["buildings"] == 18
    assert counts["mediators"] == 3
    assert counts["partners"] == 4
    assert counts["events"] == 12
    assert counts["permanences"] == 7
    assert counts["news"] >= 10
    assert NewsPage.objects.running_alerts().exists()
    assert (
        NewsPage.objects.filter(is_alert=True)
        .exclude(pk__in=NewsPage.objects.running_alerts())
        .exists()
    )
    statuses = [status for status, _ in counts["registrations"]]
    assert statuses.count("waiting") >= 1 and statuses.count("confirmed") >= 4
    assert PermanencePage.objects.filter(interval=2).exists()
    assert PermanencePage.objects.filter(closures__isnull=False).exists()
    assert Occurrence.objects.permanences().filter(status="cancelled").exists()
    assert Occurrence.objects.permanences().filter(status="moved").exists()
    assert Occurrence.objects.filter(status="cancelled").exists()
    assert Occurrence.objects.filter(status="moved").exists()
    assert get_user_model().objects.get(username="admin").is_superuser


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_seed_demo_rebuilds_a_flushed_database(client):
    call_command("flush", interactive=False, verbosity=0)
    assert Page.objects.count() == 0
    call_command("seed_demo", verbosity=0)
    assert Site.objects.get(is_default_site=True).root_page.specific_class.__name__ == "HomePage"
    assert client.get("/").status_code == 200
    assert client.get("/agence-nord/les-tilleuls/").status_code == 200
