"""The « Situations » panel of the admin home: new tenants' requests, next steps due, and for
managers the situations that ask for their attention (the grid's levels marked so)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wagtail.admin.ui.components import Component

from residences.situations.access import Team

NEXT_STEP_DAYS = 14
LIMIT = 10


class SituationsPanel(Component):
    name = "situations"
    order = 60  # after « Ma médiation » (50)
    template_name = "residences/situations/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        self.team = Team.of(self.request.user)
        if not self.team.is_member:
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        team = self.team
        today = timezone.localdate()
        requests = team.requests().waiting().select_related("residence", "building")
        next_steps = (
            team.situations()
            .open()
            .filter(next_step_on__isnull=False, next_step_on__lte=today + timedelta(NEXT_STEP_DAYS))
            .select_related("residence", "intensity")
            .order_by("next_step_on", "pk")
        )
        attention = (
            team.situations()
            .needing_a_manager()
            .filter(sector_id__in=team.managed_ids)
            .select_related("residence", "intensity")
            .order_by("opened_on", "pk")
        )
        return {
            "requests": list(requests.order_by("received_at", "pk")[:LIMIT]),
            "requests_count": requests.count(),
            "next_steps": list(next_steps[:LIMIT]),
            "attention": list(attention[:LIMIT]) if team.is_manager else [],
            "is_manager": team.is_manager,
            "today": today,
        }
