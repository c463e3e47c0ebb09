"""Tenants' requests for help: the list, one request, « Transformer en situation », « Classer »."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from residences.situations import services
from residences.situations.audit import AuditEntry, record

from .common import team_view

PER_PAGE = 50


@team_view
def request_list(request, team):
    show = request.GET.get("voir")
    requests = team.requests().select_related("residence", "building", "situation")
    if show == "traitees":
        requests = requests.exclude(situation__isnull=True, set_aside_at__isnull=True)
    else:
        show = "nouvelles"
        requests = requests.waiting()
    page = Paginator(requests.order_by("-received_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("p")
    )
    context = {"page": page, "requests": page.object_list, "show": show}
    return TemplateResponse(request, "residences/situations/admin/requests.html", context)


@team_view
def request_detail(request, team, request_id):
    help_request = team.help_request(request_id)
    record(
        request.user,
        AuditEntry.Verb.READ,
        sector_id=help_request.sector_id,
        help_request=help_request,
    )
    return TemplateResponse(
        request,
        "residences/situations/admin/request_detail.html",
        {"help_request": help_request},
    )


@require_POST
@team_view
def request_convert(request, team, request_id):
    help_request = team.help_request(request_id)
    try:
        situation = services.convert_request(help_request, request.user)
    except services.SituationError as error:
        messages.error(request, str(error))
        return redirect("situations_request", help_request.pk)
    messages.success(
        request,
        _("La demande %(request)s est devenue la situation %(situation)s : complétez-la.")
        % {"request": help_request.reference, "situation": situation.reference},
    )
    return redirect("situations_edit", situation.pk)


@require_POST
@team_view
def request_set_aside(request, team, request_id):
    help_request = team.help_request(request_id)
    try:
        services.set_aside(help_request, request.user)
    except services.SituationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Demande %s classée.") % help_request.reference)
    return redirect("situations_requests")
