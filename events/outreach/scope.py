"""Which dates a mediator's outreach tools reach: those of the events whose registrations they run."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from events.models import Occurrence
from events.registrations.access import runnable_occurrences


def occurrences_for(user: User | AnonymousUser) -> QuerySet[Occurrence]:
    """The event dates the user may run (events/registrations/access.py; every one for an
    administrator): the call list and the reference lookup follow the registrations pages."""
    return runnable_occurrences(user)
