"""The mediator's dashboard panel on the Wagtail admin home: today, the next dates, alerts, shortcuts."""

from datetime import datetime, time, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, Q, Sum
from django.utils import timezone

from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from events.calendar.schedule import PARIS
from events.models import Occurrence, Registration
from residences.models import NewsPage, SectorPage

UPCOMING_DAYS = 14
UPCOMING_LIMIT = 10


def editable_sectors(user) -> list[SectorPage]:
    """The sectors whose subtree the user may edit (all of them for an administrator)."""
    sectors = SectorPage.objects.order_by("path")
    if user.is_superuser:
        return list(sectors)
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    paths = list(editable.values_list("path", flat=True))
    return [s for s in sectors if any(s.path.startswith(p) or p.startswith(s.path) for p in paths)]


class MediatorDashboardPanel(Component):
    name = "mediator_dashboard"
    order = 50
    template_name = "wagtailadmin_custom/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        sectors = editable_sectors(self.request.user)
        today = timezone.localdate()
        start = datetime.combine(today, time(0), tzinfo=PARIS)
        in_scope = Occurrence.objects.live().filter(sector__in=sectors)
        with_counts = in_scope.select_related("page", "seats").annotate(
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
        in_sectors = reduce(or_, (Q(path__startswith=s.path) for s in sectors), Q(pk__in=[]))
        alerts = list(NewsPage.objects.running_alerts().filter(in_sectors))
        return {
            "sectors": sectors,
            "todays": todays,
            "upcoming": upcoming,
            "alerts": alerts,
            "first_sector": sectors[0] if sectors else None,
        }
