"""« Situations » in the admin menu, shown to the members of a sector's team only."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from residences.situations.access import Team


def _team(request) -> Team:
    # One lookup per request, however many items ask.
    if not hasattr(request, "_situations_team"):
        request._situations_team = Team.of(request.user)
    return request._situations_team


class TeamItem(MenuItem):
    def is_shown(self, request):
        return _team(request).is_member


class ManagerItem(MenuItem):
    def is_shown(self, request):
        return _team(request).is_manager


class SituationsMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return _team(request).is_member


def situations_menu_item():
    items = [
        TeamItem(
            _("Situations"), reverse("situations_list"), icon_name="folder-open-inverse", order=10
        ),
        TeamItem(_("Demandes reçues"), reverse("situations_requests"), icon_name="mail", order=20),
        TeamItem(_("Nouvelle situation"), reverse("situations_create"), icon_name="plus", order=30),
        TeamItem(
            _("Bilan des situations"), reverse("situations_figures"), icon_name="table", order=40
        ),
        ManagerItem(_("Droit d'accès"), reverse("situations_access"), icon_name="user", order=50),
        ManagerItem(
            _("Journal des accès"), reverse("situations_audit_log"), icon_name="history", order=60
        ),
        TeamItem(
            _("Mes préférences"), reverse("situations_preferences"), icon_name="cog", order=70
        ),
    ]
    return SituationsMenu(
        _("Situations"),
        Menu(items=items),
        icon_name="folder-open-inverse",
        name="situations",
        order=245,
    )
