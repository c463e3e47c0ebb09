"""The mediator's dashboard panel on the Wagtail admin home: today, the next dates, alerts, shortcuts."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from events.calendar.schedule import PARIS
from events.models import EventPage, Occurrence, Registration
from events.registrations.access import runnable_occurrences
from residences.models import NewsPage, ResidencePage, SectorPage

UPCOMING_DAYS = 14
UPCOMING_LIMIT = 10


@dataclass(frozen=True)
class SectorScope:
    """A sector as far as a user covers it: all of it, or only the pages in it they may edit
    (a group with rights on one residence sees that residence, not its neighbours, #15)."""

    sector: SectorPage
    pages: tuple = ()  # the highest pages the user may edit inside; empty: the whole sector

    @property
    def whole(self) -> bool:
        return not self.pages

    @property
    def slug(self) -> str:
        return self.sector.slug

    @property
    def title(self) -> str:
        if self.whole:
            return self.sector.title
        return f"{self.sector.title} – {', '.join(page.title for page in self.pages)}"

    @property
    def top_page(self):
        """Where the user's own pages start: the sector, or their first residence."""
        return self.sector if self.whole else self.pages[0]

    def occurrences(self) -> Q:
        """The dates of the scope, by where they took place (Occurrence.sector and .residence
        stay as they were when a page moves, so past reports do not change)."""
        if self.whole:
            return Q(sector=self.sector)
        inside = Q(pk__in=[])
        for page in self.pages:
            if issubclass(page.specific_class or type(page), ResidencePage):
                inside |= Q(residence_id=page.pk)
            else:
                inside |= Q(page__path__startswith=page.path)
        return Q(sector=self.sector) & inside

    def pages_below(self) -> Q:
        return reduce(or_, (Q(path__startswith=page.path) for page in self.pages or (self.sector,)))


def editable_scopes(user) -> list[SectorScope]:
    """Per sector the user may edit something in, how much of it (all sectors, wholly, for an
    administrator). Rights on the sector or above it cover it; rights on pages inside it (a
    residence) cover those pages only."""
    sectors = list(SectorPage.objects.order_by("path"))
    if user.is_superuser:
        return [SectorScope(sector) for sector in sectors]
    roots = [
        permission.page
        for permission in PagePermissionPolicy().get_cached_permissions_for_user(user)
        if permission.permission.codename == "change_page"
    ]
    scopes = []
    for sector in sectors:
        if any(sector.path.startswith(root.path) for root in roots):
            scopes.append(SectorScope(sector))
            continue
        inside = sorted(
            {root.pk: root for root in roots if root.path.startswith(sector.path)}.values(),
            key=lambda page: page.path,
        )
        # A page below another one of them adds nothing.
        highest = [
            p for p in inside if not any(p.path.startswith(q.path) for q in inside if q != p)
        ]
        if highest:
            scopes.append(SectorScope(sector, tuple(highest)))
    return scopes


def editable_sectors(user) -> list[SectorPage]:
    """The sectors the user may edit something in (all of them for an administrator); see
    `editable_scopes` for how much of each."""
    return [scope.sector for scope in editable_scopes(user)]


class MediatorDashboardPanel(Component):
    name = "mediator_dashboard"
    order = 50
    template_name = "wagtailadmin_custom/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        scopes = editable_scopes(self.request.user)
        today = timezone.localdate()
        start = datetime.combine(today, time(0), tzinfo=PARIS)
        # The dates of the user's sectors, and the landlord-wide or cross-sector events whose
        # registrations they run (events/registrations/access.py).
        runnable = runnable_occurrences(self.request.user).values("pk")
        in_scope = Occurrence.objects.live().filter(
            reduce(or_, (scope.occurrences() for scope in scopes), Q(pk__in=[]))
            | Q(pk__in=runnable)
        )
        with_counts = in_scope.select_related("page", "seats").annotate(
            # Links to a date's registrations only where the user may run them; « — » rather
            # than « 0 » for an event without sign-up (and nobody registered by hand).
            runnable=Q(pk__in=runnable),
            signup=Exists(
                EventPage.objects.filter(pk=OuterRef("page_id"), registration_enabled=True)
            ),
            confirmed=Sum(
                "registrations__seats",
                filter=Q(registrations__status=Registration.Status.CONFIRMED),
            ),
            waiting=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
            ),
        )
        todays = list(
            with_counts.filter(start__gte=start, start__lt=start + timedelta(days=1)).order_by(
                "start"
            )
        )
        upcoming = list(
            with_counts.events()
            .filter(
                start__gte=start + timedelta(days=1),
                start__lt=start + timedelta(days=UPCOMING_DAYS),
            )
            .order_by("start")[:UPCOMING_LIMIT]
        )
        in_scopes = reduce(or_, (scope.pages_below() for scope in scopes), Q(pk__in=[]))
        alerts = list(NewsPage.objects.running_alerts().filter(in_scopes))
        from events.outreach.calls import waiting_calls

        return {
            "calls_waiting": waiting_calls(self.request.user).count(),
            "sectors": scopes,  # each with the sector's title, or « Secteur – Résidence »
            "todays": todays,
            "upcoming": upcoming,
            "alerts": alerts,
            "first_sector": scopes[0].top_page if scopes else None,
        }
