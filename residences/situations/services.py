"""Every write on requests and situations: one transaction each, with its audit entry.

Views validate with the forms, then call one of these; nothing is half-saved (each function is
atomic) and nothing is deleted (closing, reopening and setting aside keep every row).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from residences.models import Building, ResidencePage, SectorPage
from residences.situations.audit import AuditEntry, record
from residences.situations.models import (
    Action,
    HelpRequest,
    Household,
    IntensityLevel,
    Situation,
)

logger = logging.getLogger(__name__)
Verb = AuditEntry.Verb


def in_french(label) -> str:
    """An audit detail is stored in French, the language of the record; each reader sees it
    translated (`situations_tags.audit_detail`)."""
    with translation.override("fr"):
        return str(label())


class SituationError(Exception):
    """A change refused for a reason to show the user (in their language)."""


def sector_of(residence: ResidencePage) -> SectorPage:
    sector = SectorPage.objects.ancestor_of(residence).first()
    if sector is None:
        raise SituationError(gettext("Cette résidence n'est rattachée à aucun secteur."))
    return sector


@dataclass(frozen=True)
class TenantRequest:
    residence: ResidencePage
    building: Building | None
    category: str
    message: str
    first_name: str
    contact: str
    phone: str
    email: str
    availability: str


@transaction.atomic
def receive_request(data: TenantRequest) -> HelpRequest:
    """Record a tenant's request and, once committed, tell the sector's team."""
    help_request = HelpRequest.objects.create(
        sector=sector_of(data.residence),
        residence=data.residence,
        building=data.building,
        category=data.category,
        message=data.message,
        first_name=data.first_name,
        contact=data.contact,
        # Only the contact the tenant chose is kept: no number for an e-mail answer.
        phone=data.phone if data.contact == HelpRequest.Contact.PHONE else "",
        email=data.email if data.contact == HelpRequest.Contact.EMAIL else "",
        availability=data.availability,
        consent_at=timezone.now(),
    )
    logger.info("help request id=%s sector=%s", help_request.pk, help_request.sector_id)
    from residences.situations.tasks import tell_the_team

    pk = help_request.pk
    transaction.on_commit(lambda: tell_the_team.enqueue(pk))
    return help_request


@transaction.atomic
def open_situation(
    *, fields: dict, households: Sequence[tuple[str, str]], user, help_request=None
) -> Situation:
    """A new situation from the form's fields and the households described."""
    residence = fields["residence"]
    situation = Situation.objects.create(sector=sector_of(residence), created_by=user, **fields)
    _add_households(situation, households)
    record(user, Verb.CREATE, sector_id=situation.sector_id, situation=situation)
    logger.info("situation opened id=%s user=%s", situation.pk, getattr(user, "pk", None))
    return situation


def _add_households(situation: Situation, households: Sequence[tuple[str, str]]) -> None:
    start = situation.households.count()
    Household.objects.bulk_create(
        Household(situation=situation, door=door, label=label, sort_order=start + index)
        for index, (door, label) in enumerate(households)
        if door or label
    )


@transaction.atomic
def convert_request(help_request: HelpRequest, user) -> Situation:
    """« Transformer en situation »: one click, the request's place and category kept, its
    message as the description, the tenant (if named) as the first household; level 1."""
    locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if locked.situation_id is not None:
        raise SituationError(gettext("Cette demande est déjà devenue une situation."))
    if locked.set_aside_at is not None:
        raise SituationError(gettext("Cette demande est déjà traitée."))
    if locked.erased_at is not None:
        raise SituationError(gettext("Les données de cette demande ont été effacées."))
    situation = Situation.objects.create(
        sector_id=locked.sector_id,
        residence_id=locked.residence_id,
        building_id=locked.building_id,
        category=locked.category,
        intensity=IntensityLevel.objects.grid().first(),
        description=locked.message,
        opened_on=timezone.localdate(),
        created_by=user,
    )
    label = locked.first_name or "Personne qui a fait la demande"
    _add_households(situation, [("", label)])
    locked.situation = situation
    locked.save(update_fields=["situation"])
    record(
        user,
        Verb.CONVERT,
        sector_id=situation.sector_id,
        situation=situation,
        help_request=locked,
    )
    logger.info("help request id=%s became situation id=%s", locked.pk, situation.pk)
    return situation


@transaction.atomic
def set_aside(help_request: HelpRequest, user) -> None:
    """A request that needs no follow-up (a duplicate, a matter for the agency): kept, listed
    apart, erased after the retention period like the rest."""
    updated = HelpRequest.objects.filter(
        pk=help_request.pk, situation__isnull=True, set_aside_at__isnull=True
    ).update(set_aside_at=timezone.now(), set_aside_by=user)
    if not updated:
        raise SituationError(gettext("Cette demande est déjà traitée."))
    record(user, Verb.SET_ASIDE, sector_id=help_request.sector_id, help_request=help_request)


@transaction.atomic
def update_situation(situation: Situation, form, household_forms, user) -> Situation:
    """Save the form's own fields and the household rows; the audit names the fields that
    changed.

    The row is locked and read again first: a close, a reopening or the nightly erasure that
    committed while the form was being filled in stays as it is (only the form's fields are
    written, and an erased situation is not written at all).
    """
    locked = Situation.objects.select_for_update().get(pk=situation.pk)
    if locked.erased_at is not None:
        raise SituationError(gettext("Les données de cette situation ont été effacées."))
    with translation.override("fr"):  # the trail is written in French, read in each language
        changed = [str(form.fields[name].label) for name in form.changed_data]
    residence = form.cleaned_data["residence"]
    if sector_of(residence).pk != situation.sector_id:
        raise SituationError(gettext("Une situation reste dans son secteur."))
    instance = form.save(commit=False)
    instance.save(update_fields=[name for name in form._meta.fields if name in form.cleaned_data])
    form.save_m2m()
    new_rows = []
    for household_form in household_forms:
        if household_form.instance.pk:
            if household_form.has_changed():
                household_form.save()
                changed.append("ménages concernés")
        elif household_form.has_changed():
            data = household_form.cleaned_data
            new_rows.append((data.get("door", ""), data.get("label", "")))
    if new_rows:
        _add_households(situation, new_rows)
        changed.append("ménages concernés")
    if changed:
        record(
            user,
            Verb.UPDATE,
            sector_id=situation.sector_id,
            situation=situation,
            detail=", ".join(dict.fromkeys(changed)),
        )
    return situation


@transaction.atomic
def log_action(situation: Situation, *, kind: str, happened_on: date, note: str, partner, user):
    if situation.erased_at is not None:
        raise SituationError(gettext("Les données de cette situation ont été effacées."))
    action = Action.objects.create(
        situation=situation,
        kind=kind,
        happened_on=happened_on,
        note=note,
        partner=partner,
        author=user,
    )
    record(
        user,
        Verb.LOG,
        sector_id=situation.sector_id,
        situation=situation,
        detail=in_french(action.get_kind_display),
    )
    return action


@transaction.atomic
def close(situation: Situation, *, outcome: str, closed_on: date, note: str, user) -> None:
    locked = Situation.objects.select_for_update().get(pk=situation.pk)
    if locked.is_closed:
        raise SituationError(gettext("Cette situation est déjà clôturée."))
    Situation.objects.filter(pk=locked.pk).update(
        closed_on=closed_on, outcome=outcome, next_step="", next_step_on=None
    )
    Action.objects.create(
        situation=locked,
        kind=Action.Kind.CLOSED,
        happened_on=closed_on,
        outcome=outcome,
        note=note,
        author=user,
    )
    record(
        user,
        Verb.CLOSE,
        sector_id=locked.sector_id,
        situation=locked,
        detail=in_french(lambda: Situation.Outcome(outcome).label),
    )


@transaction.atomic
def reopen(situation: Situation, *, note: str, user) -> None:
    """The closing stays in the journal (with its outcome); the situation is open again."""
    locked = Situation.objects.select_for_update().get(pk=situation.pk)
    if not locked.is_closed:
        raise SituationError(gettext("Cette situation est déjà ouverte."))
    if locked.erased_at is not None:
        raise SituationError(gettext("Les données de cette situation ont été effacées."))
    Situation.objects.filter(pk=locked.pk).update(closed_on=None, outcome="")
    Action.objects.create(
        situation=locked,
        kind=Action.Kind.REOPENED,
        happened_on=max(timezone.localdate(), locked.closed_on),
        note=note,
        author=user,
    )
    record(user, Verb.REOPEN, sector_id=locked.sector_id, situation=locked)
