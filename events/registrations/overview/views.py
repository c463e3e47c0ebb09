"""« Inscriptions » (admin menu): every registration the user may run, across events and dates.

Finding « the lady who phoned about Thursday » without opening each event: filters by period
(upcoming by default), event, residence and status (to call included), a search by first name or
reference, pages of PAGE_SIZE rows, and on each row the actions of the per-date page (present,
absent, confirm from the waiting list, cancel) through the same `apply_action` and booking
services. The queries stay the same in number however many registrations there are.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.registrations import services as booking
from events.registrations.access import runnable_registrations
from events.registrations.admin_views import ROW_ACTIONS, apply_action
from events.registrations.overview.filters import OverviewFilters, overview
from portal.validators import as_id

PAGE_SIZE = 30
FILTER_KEYS = ("periode", "du", "au", "animation", "residence", "statut", "q", "page")


@require_http_methods(["GET", "POST"])
def registrations_overview(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return act(request)
    form = OverviewFilters(request.GET, request.user)
    form.is_valid()  # errors shown at their fields; the valid filters still apply
    found = overview(request.user, form.cleaned_data)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"registration": r, "closed": booking.closed_for_changes(r.occurrence)}
        for r in page.object_list
    ]
    kept = QueryDict(mutable=True)
    kept.update({k: v for k, v in request.GET.items() if k in FILTER_KEYS and k != "page"})
    context = {
        "form": form,
        "period": form.period(),
        "page_obj": page,
        "rows": rows,
        "filters": kept.urlencode(),  # for the page links
        "here": kept_filters(request.GET),  # hidden in each row's form
    }
    return TemplateResponse(request, "wagtailadmin_custom/registrations_overview.html", context)


def kept_filters(data: QueryDict) -> list[tuple[str, str]]:
    """The filters (and page) to come back to after an action: our own keys only, so nothing
    else from the request finds its way into the redirect."""
    return [(k, data[k][:100]) for k in FILTER_KEYS if data.get(k)]


def act(request: HttpRequest) -> HttpResponse:
    """One row's action, then back to the same filters and page."""
    back = reverse("registrations_overview")
    query = urlencode(kept_filters(request.POST))
    back_here = f"{back}?{query}" if query else back
    action = request.POST.get("action")
    registration = (
        runnable_registrations(request.user)
        .filter(pk=as_id(request.POST.get("registration")) or 0)
        .select_related("occurrence")
        .first()
    )
    if action not in ROW_ACTIONS or registration is None:
        # The same answer for an id of another sector as for one that does not exist.
        messages.error(request, _("Inscription introuvable."))
        return redirect(back_here)
    did_not_fit = apply_action(request, registration.occurrence, action)
    if did_not_fit:
        # The per-date page asks whether to confirm beyond the capacity.
        url = reverse("occurrence_registrations", args=(registration.occurrence_id,))
        return redirect(f"{url}?au_dela={did_not_fit}")
    return redirect(back_here)
