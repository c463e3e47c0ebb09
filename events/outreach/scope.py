"""Which dates a mediator's outreach tools reach: those of the sectors (or pages) they cover."""

from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from events.activity.dashboard import editable_scopes
from events.models import Occurrence


def occurrences_for(user: User | AnonymousUser) -> QuerySet[Occurrence]:
    """The dates in the user's scopes (every date for an administrator)."""
    scopes = editable_scopes(user)
    return Occurrence.objects.filter(
        reduce(or_, (scope.occurrences() for scope in scopes), Q(pk__in=[]))
    )
