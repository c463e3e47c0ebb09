"""Situations: the list, one situation with its journal, opening, editing, closing, reopening."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from residences.situations import services
from residences.situations.audit import AuditEntry, record
from residences.situations.forms import (
    ActionForm,
    CloseForm,
    HouseholdFormSet,
    ReopenForm,
    SituationForm,
    residences_in,
)
from residences.situations.models import Household, IntensityLevel

from .common import team_view

PER_PAGE = 50
STATUSES = {"ouvertes": "open", "cloturees": "closed", "toutes": None}


def listed(team, params) -> tuple:
    """The user's situations as filtered by `params`; the filters' current values."""
    status = params.get("statut") if params.get("statut") in STATUSES else "ouvertes"
    situations = (
        team.situations()
        .select_related("sector", "residence", "building", "intensity")
        .annotate(
            last_action_on=Max("actions__happened_on"),
            household_count=Count("households", distinct=True),
        )
        .order_by("closed_on", "-intensity__level", "-opened_on", "-pk")
    )
    if STATUSES[status] == "open":
        situations = situations.open()
    elif STATUSES[status] == "closed":
        situations = situations.closed()
    residence = params.get("residence", "")
    if residence.isascii() and residence.isdigit():
        situations = situations.filter(residence_id=int(residence) if int(residence) < 2**63 else 0)
    level = params.get("niveau", "")
    if level.isascii() and level.isdigit() and int(level) < 2**15:
        situations = situations.filter(intensity__level=int(level))
    return situations, {"statut": status, "residence": residence, "niveau": level}


@team_view
def situation_list(request, team):
    situations, current = listed(team, request.GET)
    page = Paginator(situations, PER_PAGE).get_page(request.GET.get("p"))
    context = {
        "page": page,
        "situations": page.object_list,
        "current": current,
        "residences": residences_in(team.sector_ids),
        "levels": IntensityLevel.objects.grid(),
        "team": team,
        "waiting_requests": team.requests().waiting().count(),
    }
    return TemplateResponse(request, "residences/situations/admin/list.html", context)


def _journal(situation):
    return situation.actions.select_related("author", "partner").order_by(
        "happened_on", "created_at", "pk"
    )


@team_view
def situation_detail(request, team, situation_id):
    situation = team.situation(situation_id)
    record(request.user, AuditEntry.Verb.READ, sector_id=situation.sector_id, situation=situation)
    context = {
        "situation": situation,
        "households": situation.households.all(),
        "journal": _journal(situation),
        "help_request": getattr(situation, "request", None),
        "action_form": ActionForm(situation=situation),
        "close_form": CloseForm(situation=situation),
        "reopen_form": ReopenForm(),
        "is_manager": team.manages(situation.sector_id),
    }
    return TemplateResponse(request, "residences/situations/admin/detail.html", context)


def _household_formset(request, situation=None):
    queryset = situation.households.all() if situation else Household.objects.none()
    return HouseholdFormSet(
        request.POST if request.method == "POST" else None, queryset=queryset, prefix="menage"
    )


@team_view
def situation_create(request, team):
    form = SituationForm(request.POST or None, sector_ids=team.sector_ids)
    households = _household_formset(request)
    if request.method == "POST" and form.is_valid() and households.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        rows = [
            (f.cleaned_data.get("door", ""), f.cleaned_data.get("label", ""))
            for f in households
            if f.has_changed()
        ]
        try:
            situation = services.open_situation(fields=fields, households=rows, user=request.user)
        except services.SituationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Situation %s ouverte.") % situation.reference)
            return redirect("situations_detail", situation.pk)
    context = {"form": form, "households": households, "situation": None}
    return TemplateResponse(request, "residences/situations/admin/form.html", context)


@team_view
def situation_edit(request, team, situation_id):
    situation = team.situation(situation_id)
    if situation.erased_at is not None:
        raise Http404
    form = SituationForm(request.POST or None, instance=situation, sector_ids=[situation.sector_id])
    households = _household_formset(request, situation)
    if request.method == "POST":
        if form.is_valid() and households.is_valid():
            try:
                services.update_situation(situation, form, households, request.user)
            except services.SituationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Situation %s enregistrée.") % situation.reference)
                return redirect("situations_detail", situation.pk)
    else:
        record(
            request.user,
            AuditEntry.Verb.READ,
            sector_id=situation.sector_id,
            situation=situation,
            detail=gettext_noop("formulaire de modification"),
        )
    context = {"form": form, "households": households, "situation": situation}
    return TemplateResponse(request, "residences/situations/admin/form.html", context)


@team_view
def situation_log(request, team, situation_id):
    """« Ajouter au journal »: the form is on the situation's page; its errors come back here."""
    situation = team.situation(situation_id)
    form = ActionForm(request.POST or None, situation=situation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.log_action(
                situation,
                kind=data["kind"],
                happened_on=data["happened_on"],
                note=data["note"],
                partner=data["partner"],
                user=request.user,
            )
        except services.SituationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Ajouté au journal : %s.") % action.get_kind_display())
        return redirect("situations_detail", situation.pk)
    context = {"situation": situation, "form": form, "title": _("Ajouter au journal")}
    return TemplateResponse(request, "residences/situations/admin/step.html", context)


@team_view
def situation_close(request, team, situation_id):
    situation = team.situation(situation_id)
    if situation.is_closed:
        messages.error(request, _("Cette situation est déjà clôturée."))
        return redirect("situations_detail", situation.pk)
    form = CloseForm(request.POST or None, situation=situation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.close(
                situation,
                outcome=data["outcome"],
                closed_on=data["closed_on"],
                note=data["note"],
                user=request.user,
            )
        except services.SituationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Situation %s clôturée.") % situation.reference)
        return redirect("situations_detail", situation.pk)
    context = {"situation": situation, "form": form, "title": _("Clôturer la situation")}
    return TemplateResponse(request, "residences/situations/admin/step.html", context)


@require_POST
@team_view
def situation_reopen(request, team, situation_id):
    situation = team.situation(situation_id)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(situation, note=form.cleaned_data["note"], user=request.user)
        except services.SituationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Situation %s rouverte.") % situation.reference)
    return redirect("situations_detail", situation.pk)
