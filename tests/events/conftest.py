"""Helpers to publish events the way an editor does (a revision, then publish)."""

from datetime import date, time

import pytest

from events.models import EventCategory, EventException, EventPage


@pytest.fixture
def category(db):
    return EventCategory.objects.get_or_create(slug="atelier", defaults={"name": "Atelier"})[0]


@pytest.fixture
def agenda(home):
    from events.models import AgendaPage

    page = home.add_child(instance=AgendaPage(title="Agenda", slug="agenda", show_in_menus=True))
    page.save_revision().publish()
    return page


@pytest.fixture
def publish_event(category):
    counter = iter(range(1, 100_000))

    def publish(parent, exceptions=(), **fields) -> EventPage:
        number = next(counter)
        defaults = {
            "title": f"Atelier {number}",
            "slug": f"atelier-{number}",
            "summary": "On se retrouve pour un moment convivial.",
            "category": category,
            "venue_name": "Salle commune",
            "first_date": date(2026, 3, 3),
            "start_time": time(14),
            "end_time": time(17),
        }
        defaults.update(fields)
        page = EventPage(**defaults)
        for row in exceptions:
            page.exceptions.add(EventException(**row))
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    return publish


@pytest.fixture
def publish_permanence(db):
    from events.models import ClosurePeriod, PermanenceException, PermanencePage

    counter = iter(range(1, 100_000))

    def publish(parent, exceptions=(), closures=(), **fields) -> PermanencePage:
        number = next(counter)
        defaults = {
            "title": f"Permanence {number}",
            "slug": f"permanence-{number}",
            "venue_name": "Salle commune",
            "first_date": date(2026, 3, 3),
            "start_time": time(14),
            "end_time": time(17),
            "frequency": "weekly",
            "public_note": "Sans rendez-vous",
        }
        defaults.update(fields)
        page = PermanencePage(**defaults)
        for row in exceptions:
            page.exceptions.add(PermanenceException(**row))
        for first_day, last_day, reason in closures:
            page.closures.add(ClosurePeriod(first_day=first_day, last_day=last_day, reason=reason))
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    return publish


@pytest.fixture
def outing(publish_event, residence):
    """A one-date outing in the future, capacity 50, sign-ups open."""
    from events.models import Occurrence

    page = publish_event(
        residence,
        title="Sortie à la mer",
        first_date=date(2030, 6, 1),
        start_time=time(8),
        end_time=time(19),
        registration_enabled=True,
        capacity=50,
    )
    return Occurrence.objects.get(page=page)


@pytest.fixture
def admin_client(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(user)
    return client
