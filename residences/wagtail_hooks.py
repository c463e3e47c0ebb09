"""Admin registration of the residences app's snippets, with French menus."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_scope
from .models import IntensityLevel, MediatorProfile, Partner


class MediatorViewSet(SnippetViewSet):
    model = MediatorProfile
    icon = "user"
    menu_label = _("Médiateurs")
    list_display = [Column("full_name", label=_("Nom")), "job_title", "phone", "email"]
    search_fields = ["first_name", "last_name"]


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partenaires")
    list_display = ["name", "kind", "town"]
    list_filter = ["kind"]
    search_fields = ["name"]


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (MediatorViewSet, PartnerViewSet)
    menu_icon = "group"
    menu_label = _("Annuaire")
    menu_name = "annuaire"


register_snippet(PeopleViewSetGroup)


@hooks.register("register_admin_urls")
def placement_urls():
    from django.urls import path

    from .placement.views import choose_place

    return [
        path(
            "nouvelle-page/<slug:app_label>/<slug:model_name>/",
            choose_place,
            name="choose_place",
        )
    ]


@hooks.register("after_create_page")
def create_team_with_the_sector(request, page):
    """A sector created in the admin gets its team straight away. A renamed sector's team
    follows its title when the rename is published (residences.models.team)."""
    from portal.models import PortalSettings

    from .models import SectorPage
    from .teams import setup_sector_team

    if isinstance(page.specific, SectorPage):
        settings = PortalSettings.for_request(request)
        setup_sector_team(page.specific, settings.require_approval)


# Mediators see nothing of other sectors in the admin: the rule and why each hook is needed are
# in residences/admin_scope.py.
hooks.register("construct_page_chooser_queryset", admin_scope.choose_within_own_sectors)
hooks.register("before_move_page", admin_scope.refuse_foreign_move)
hooks.register("before_copy_page", admin_scope.refuse_foreign_copy_destination)
for _action in admin_scope.scoped_bulk_actions():
    # After Wagtail's own (order 0): the registry keeps the last action of each type.
    hooks.register("register_bulk_action", _action, order=100)


@hooks.register("construct_admin_api", order=100)
def scoped_admin_api(router):
    for name, endpoint in admin_scope.scoped_api_endpoints().items():
        router.register_endpoint(name, endpoint)


@hooks.register("register_admin_urls", order=100)
def guard_wagtail_views():
    """Runs while wagtail.admin.urls builds its patterns, before it wraps them in its admin-access
    check: the views without an extension point get their guard inside that check."""
    from wagtail.admin import urls as admin_urls  # the module being imported: its core patterns

    admin_scope.guard_wagtail_views(admin_urls.urlpatterns)
    return []


# Situations (mediation follow-up): the admin area, its menu, the dashboard panel and the
# intensity grid (a snippet: administrators adapt it; mediators have no snippet rights).
@hooks.register("register_admin_urls")
def situations_admin_urls():
    from .situations.urls import admin_urlpatterns

    return admin_urlpatterns


@hooks.register("register_admin_menu_item")
def situations_menu_item():
    from .situations.menu import situations_menu_item

    return situations_menu_item()


@hooks.register("construct_homepage_panels")
def add_situations_panel(request, panels):
    from .situations.dashboard import SituationsPanel

    panels.append(SituationsPanel(request))


class IntensityLevelViewSet(SnippetViewSet):
    model = IntensityLevel
    icon = "list-ol"
    menu_label = _("Grille d'intensité")
    add_to_admin_menu = False
    list_display = ["level", "label", "needs_manager"]


register_snippet(IntensityLevelViewSet)
