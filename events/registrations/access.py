"""Who may run an event's registrations: one rule, written once (issue #20, point 1).

A user may run the registrations of an event (see who is coming, register someone, mark
attendance, confirm or cancel, write to the registrants, export, print the sign-in sheet and the
poster) when

- they may edit the event page (Wagtail's page permissions: a sector's team on its subtree), or
- the event is **shared** — landlord-wide (not filed under a sector) or cross-sector (it
  concerns more than one sector) — and they are one of its organising mediators, or a manager
  (« Responsables – <secteur> ») of a sector it concerns.

The sectors an event concerns are the sector it is filed under, the sector of its venue
residence and the sectors its organising mediators cover.

Running registrations gives no right on the page itself: editing, publishing, moving or deleting
it still follow Wagtail's page permissions.

`runnable_events(user)` is the rule as a queryset (a constant number of queries however many
events there are); `can_run(user, page)` asks it about one page, so the two never disagree.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from events.models import EventPage, Occurrence, Registration
from residences.admin_scope import editable_pages
from residences.models import MediatorProfile, SectorPage, SectorTeam

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from wagtail.models import Page

NOTHING = Q(pk__in=[])

Organiser = EventPage.organising_mediators.through
Coverage = MediatorProfile.sectors.through


def _any(conditions) -> Q:
    return reduce(or_, conditions, NOTHING)


def _organisers_cover(**sector) -> Exists:
    """An organising mediator of the event (the outer EventPage) covers a sector: `sector_id=…`
    for that one, `exclude=…` for any other."""
    other = sector.pop("exclude", None)
    covering = Coverage.objects.filter(mediatorprofile__events=OuterRef("pk"), **sector)
    if other is not None:
        covering = covering.exclude(sectorpage_id=other)
    return Exists(covering)


def shared_events(sectors: list[SectorPage]) -> Q:
    """Landlord-wide (under no sector) or cross-sector (concerning another sector than its own)."""
    landlord_wide = ~_any(Q(path__startswith=s.path) for s in sectors)
    cross_sector = _any(
        Q(path__startswith=s.path)
        & (
            (Q(venue_residence__isnull=False) & ~Q(venue_residence__path__startswith=s.path))
            | _organisers_cover(exclude=s.pk)
        )
        for s in sectors
    )
    return landlord_wide | cross_sector


def concerning(sector: SectorPage) -> Q:
    """Events that concern a sector: filed under it, held in one of its residences, or organised
    by a mediator who covers it."""
    return (
        Q(path__startswith=sector.path)
        | Q(venue_residence__path__startswith=sector.path)
        | _organisers_cover(sectorpage_id=sector.pk)
    )


def _sectors_and_managed(user: User) -> tuple[list[SectorPage], set[int]]:
    """Every sector, and those the user manages: read once per user object (a request), as
    Wagtail caches a user's page permissions on it."""
    cached = getattr(user, "_registration_access", None)
    if cached is None:
        sectors = list(SectorPage.objects.only("pk", "path").order_by("path"))
        managed = set(
            SectorTeam.objects.filter(managers__in=user.groups.all()).values_list(
                "sector_id", flat=True
            )
        )
        cached = user._registration_access = (sectors, managed)
    return cached


def _shared_rule(user: User) -> Q:
    sectors, managed = _sectors_and_managed(user)
    organised = Exists(
        Organiser.objects.filter(eventpage_id=OuterRef("pk"), mediatorprofile__user=user)
    )
    concerned = _any(concerning(s) for s in sectors if s.pk in managed)
    return shared_events(sectors) & (organised | concerned)


def runnable_events(user: User | AnonymousUser) -> QuerySet[EventPage]:
    """The events whose registrations the user may run (every event for an administrator)."""
    if not (user.is_authenticated and user.is_active):
        return EventPage.objects.none()
    if user.is_superuser:
        return EventPage.objects.all()
    editable = Q(pk__in=editable_pages(user).values("pk"))
    return EventPage.objects.filter(editable | _shared_rule(user))


def can_run(user: User | AnonymousUser, page: Page) -> bool:
    """Whether the user may run this event's registrations (the same rule as `runnable_events`)."""
    return runnable_events(user).filter(pk=page.pk).exists()


def runnable_occurrences(user: User | AnonymousUser) -> QuerySet[Occurrence]:
    """The dates of the events the user may run."""
    return Occurrence.objects.events().filter(page__in=runnable_events(user).values("pk"))


def runnable_registrations(user: User | AnonymousUser) -> QuerySet[Registration]:
    """Every registration the user may see and act on."""
    return Registration.objects.filter(
        occurrence__page__in=runnable_events(user).values("pk"),
        occurrence__kind=Occurrence.Kind.EVENT,
    )
