"""Admin hooks of the events app: snippets, our views, page buttons, and history kept on delete."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .activity.report import activity_report
from .calendar.models import history_below
from .models import EventCategory, EventPage, PermanencePage
from .outreach import calls, lookup
from .outreach import messages as outreach_messages
from .permanences.admin_views import cancel_date
from .registrations import admin_views as registrations
from .registrations.access import can_run
from .registrations.overview.views import registrations_overview


class EventCategoryViewSet(SnippetViewSet):
    model = EventCategory
    icon = "tag"
    menu_label = _("Catégories d'animation")
    list_display = ["name", "slug"]
    add_to_admin_menu = False


register_snippet(EventCategoryViewSet)


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("permanences/<int:page_id>/annuler-une-date/", cancel_date, name="cancel_date"),
        path(
            "animations/<int:page_id>/inscriptions/",
            registrations.event_registrations,
            name="event_registrations",
        ),
        path("animations/<int:page_id>/affiche/", registrations.poster, name="event_poster"),
        path(
            "dates/<int:occurrence_id>/inscrits/",
            registrations.occurrence_registrations,
            name="occurrence_registrations",
        ),
        path(
            "dates/<int:occurrence_id>/inscrits.csv",
            registrations.registrations_csv,
            name="occurrence_registrations_csv",
        ),
        path(
            "dates/<int:occurrence_id>/emargement/",
            registrations.signin_sheet,
            name="occurrence_signin_sheet",
        ),
        path("rapport-activite/", activity_report, name="activity_report"),
        path(
            "dates/<int:occurrence_id>/ecrire/",
            outreach_messages.message_occurrence,
            name="message_occurrence",
        ),
        path(
            "animations/<int:page_id>/ecrire/",
            outreach_messages.message_event,
            name="message_event",
        ),
        path("inscriptions/", registrations_overview, name="registrations_overview"),
        path("inscriptions/reference/", lookup.find_by_reference, name="find_by_reference"),
        path("a-appeler/", calls.call_list, name="call_list"),
        path("a-appeler/<int:notice_id>/", calls.record_call, name="record_call"),
    ]


def page_buttons(page, user, priority: int):
    """« Annuler une date » on a live permanence, « Inscriptions et affiche » on an event."""
    specific = page.specific_deferred
    if isinstance(specific, PermanencePage) and page.live:
        if page.permissions_for_user(user).can_edit():
            url = reverse("cancel_date", args=(page.pk,))
            yield Button(_("Annuler une date"), url, icon_name="calendar", priority=priority)
    elif isinstance(specific, EventPage) and can_run(user, page):
        url = reverse("event_registrations", args=(page.pk,))
        yield Button(_("Inscriptions et affiche"), url, icon_name="group", priority=priority)


@hooks.register("register_page_header_buttons")
def header_buttons(page, user, view_name=None, next_url=None):
    yield from page_buttons(page, user, priority=12)


@hooks.register("register_page_listing_more_buttons")
def listing_buttons(page, user, next_url=None):
    yield from page_buttons(page, user, priority=3)


@hooks.register("construct_homepage_panels")
def add_mediator_dashboard(request, panels):
    from .activity.dashboard import MediatorDashboardPanel

    panels.insert(0, MediatorDashboardPanel(request))


@hooks.register("register_admin_menu_item")
def activity_report_menu_item():
    from wagtail.admin.menu import MenuItem

    return MenuItem(
        _("Rapport d'activité"), reverse("activity_report"), icon_name="table", order=250
    )


@hooks.register("register_admin_menu_item")
def registrations_menu_item():
    from wagtail.admin.menu import MenuItem

    return MenuItem(
        _("Inscriptions"), reverse("registrations_overview"), icon_name="group", order=235
    )


@hooks.register("register_admin_menu_item")
def call_list_menu_item():
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("À appeler"), reverse("call_list"), icon_name="mobile-alt", order=240)


@hooks.register("before_delete_page")
def keep_history_on_delete(request, page):
    """A page whose dates or registrations are history is unpublished, never deleted."""
    history = history_below([page])
    if history:
        messages.error(request, history.refusal())
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def keep_history_on_bulk_delete(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects:
        return None
    history = history_below(objects)
    if history:
        messages.error(request, history.refusal())
        return redirect("wagtailadmin_explore", objects[0].get_parent().pk)
    return None
