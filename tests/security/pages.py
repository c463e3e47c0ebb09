"""Pages for the sector-scope tests: an event built like an editor's, published through a revision."""

from datetime import time, timedelta

from django.utils import timezone

from events.models import EventCategory, EventPage

# Put in the titles that must not leak: finding it in an answer is a leak.
MARK = "SUDSECRET"


def event_page(**fields) -> EventPage:
    category, _ = EventCategory.objects.get_or_create(slug="atelier", defaults={"name": "Atelier"})
    defaults = {
        "summary": "Un moment convivial.",
        "category": category,
        "venue_name": "Salle commune",
        "first_date": timezone.localdate() + timedelta(days=7),
        "start_time": time(14),
        "end_time": time(16),
    }
    return EventPage(**(defaults | fields))


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
