"""For managers only: the audit trail, exports, and a person's right of access.

A mediator gets 403 here; a manager sees only their managed sectors (others are a 404).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from residences.situations.audit import AuditEntry, record
from residences.situations.forms import AccessSearchForm
from residences.situations.models import HelpRequest, Situation

from .common import csv_response, team_view

PER_PAGE = 100
Verb = AuditEntry.Verb


def _audit_rows(entries):
    return entries.select_related("user", "situation", "help_request").order_by("-at", "-pk")


@team_view
def audit_log(request, team):
    """Every read and change in the sectors the user manages, newest first."""
    team.require_manager()
    entries = _audit_rows(AuditEntry.objects.in_sectors(team.managed_ids))
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "residences/situations/admin/audit.html",
        {"page": page, "entries": page.object_list, "situation": None},
    )


@team_view
def situation_audit(request, team, situation_id):
    situation = team.situation(situation_id)
    team.require_manager(situation.sector_id)
    record(
        request.user,
        Verb.READ,
        sector_id=situation.sector_id,
        situation=situation,
        detail=gettext_noop("historique des accès"),
    )
    entries = _audit_rows(situation.audit.all())
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "residences/situations/admin/audit.html",
        {"page": page, "entries": page.object_list, "situation": situation},
    )


HEADER = [
    _("Référence"),
    _("Secteur"),
    _("Résidence"),
    _("Bâtiment"),
    _("Catégorie"),
    _("Niveau"),
    _("Ouverte le"),
    _("Clôturée le"),
    _("Issue"),
    _("Ménages concernés"),
    _("Description"),
    _("Journal"),
]


def header() -> list[str]:
    """The column titles in the user's language."""
    return [str(title) for title in HEADER]


def _rows(situations):
    situations = situations.select_related(
        "sector", "residence", "building", "intensity"
    ).prefetch_related("households", "actions__partner", "actions__author")
    for s in situations:
        journal = " | ".join(
            f"{a.happened_on:%d/%m/%Y} {a.get_kind_display()}"
            + (f" ({a.partner.name})" if a.partner else "")
            + (f" : {a.note}" if a.note else "")
            for a in s.actions.all()
        )
        yield [
            s.reference,
            s.sector.title,
            s.residence.title,
            s.building.name if s.building else "",
            s.get_category_display(),
            str(s.intensity),
            f"{s.opened_on:%d/%m/%Y}",
            f"{s.closed_on:%d/%m/%Y}" if s.closed_on else "",
            s.get_outcome_display(),
            " ; ".join(str(h) for h in s.households.all()),
            s.description,
            journal,
        ]


@team_view
def situation_export(request, team, situation_id):
    situation = team.situation(situation_id)
    team.require_manager(situation.sector_id)
    record(request.user, Verb.EXPORT, sector_id=situation.sector_id, situation=situation)
    rows = [header(), *_rows(Situation.objects.filter(pk=situation.pk))]
    return csv_response(f"situation-{situation.reference}.csv", rows)


@team_view
def export_all(request, team):
    """Every situation of the sectors the user manages (an audit entry per sector)."""
    team.require_manager()
    for sector_id in sorted(team.managed_ids):
        record(
            request.user,
            Verb.EXPORT,
            sector_id=sector_id,
            detail=gettext_noop("toutes les situations"),
        )
    situations = Situation.objects.in_sectors(team.managed_ids).order_by("opened_on", "pk")
    rows = [header(), *_rows(situations)]
    return csv_response(f"situations-{timezone.localdate():%Y-%m-%d}.csv", rows)


def matching(team, query: str):
    """What concerns a person, among the situations and requests of the managed sectors: a
    household's door reference or first name or role, or a request's first name."""
    situations = (
        Situation.objects.in_sectors(team.managed_ids)
        .filter(Q(households__door__icontains=query) | Q(households__label__icontains=query))
        .distinct()
        .order_by("opened_on", "pk")
    )
    requests = (
        HelpRequest.objects.in_sectors(team.managed_ids)
        .filter(first_name__icontains=query, erased_at__isnull=True)
        .select_related("residence", "situation")
        .order_by("received_at", "pk")
    )
    return situations, requests


@team_view
def right_of_access(request, team):
    """The search is a POST: a person's name stays out of URLs, histories and access logs."""
    team.require_manager()
    form = AccessSearchForm(request.POST if request.method == "POST" else None)
    situations = requests = None
    if request.method == "POST" and form.is_valid():
        situations, requests = matching(team, form.cleaned_data["query"])
        situations = list(situations.select_related("residence", "intensity"))
        requests = list(requests)
        for sector_id in sorted(team.managed_ids):
            record(
                request.user,
                Verb.ACCESS_SEARCH,
                sector_id=sector_id,
                detail=f"{len(situations)} situation(s), {len(requests)} demande(s)",
            )
        if request.POST.get("export") == "1":
            return _access_export(request, team, situations, requests)
    context = {"form": form, "situations": situations, "requests": requests}
    return TemplateResponse(request, "residences/situations/admin/access.html", context)


def _access_export(request, team, situations, requests):
    """The CSV handed to the person who asked: in French, whatever the admin's language."""
    for situation in situations:
        record(
            request.user,
            Verb.EXPORT,
            sector_id=situation.sector_id,
            situation=situation,
            detail=gettext_noop("droit d'accès"),
        )
    for help_request in requests:
        record(
            request.user,
            Verb.EXPORT,
            sector_id=help_request.sector_id,
            help_request=help_request,
            detail=gettext_noop("droit d'accès"),
        )
    with translation.override("fr"):
        rows = [header(), *_rows(Situation.objects.filter(pk__in=[s.pk for s in situations]))]
        rows += _request_rows(requests)
    return csv_response(f"droit-d-acces-{timezone.localdate():%Y-%m-%d}.csv", rows)


def _request_rows(requests) -> list[list[str]]:
    """The requests' part of the right-of-access CSV (called in French)."""
    rows: list[list[str]] = [
        [],
        [
            "Demande",
            "Reçue le",
            "Résidence",
            "Catégorie",
            "Prénom",
            "Message",
            "Être joint",
            "Téléphone",
            "E-mail",
            "Quand",
        ],
    ]
    rows += [
        [
            r.reference,
            f"{timezone.localtime(r.received_at):%d/%m/%Y}",
            r.residence.title,
            r.get_category_display(),
            r.first_name,
            r.message,
            r.get_contact_display(),
            r.phone,
            r.email,
            r.availability,
        ]
        for r in requests
    ]
    return rows
