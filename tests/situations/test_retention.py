"""Erasure after the retention period, through the scheduled purge: no personal detail left in
any text column of any table, in task results or in logs; the anonymous figures unchanged."""

import logging
from datetime import date, timedelta

import pytest
import time_machine

from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from residences.situations import figures, services
from residences.situations.audit import AuditEntry
from residences.situations.models import HelpRequest, NoticePreference, Situation
from residences.situations.retention import cutoff
from tests.situations.conftest import open_situation, tenant_request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.engine]

PLANTED = [
    "Prenomplante",
    "Messageplante",
    "Dispoplante",
    "plante@example.fr",
    "+33611223344",
    "Porteplante",
    "Roleplante",
    "Noteplante",
    "Descplante",
    "Etapeplante",
]


def text_columns_holding(strings) -> list[str]:
    """Every model's text columns, in every app, searched for each string."""
    found = []
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for field in fields:
            for text in strings:
                lookup = (
                    {f"{field.attname}__icontains": text}
                    if not isinstance(field, models.JSONField)
                    else None
                )
                if lookup is None:
                    rows = model._default_manager.values_list(field.attname, flat=True)
                    if any(text.lower() in repr(value).lower() for value in rows):
                        found.append(f"{model._meta.label}.{field.name}: {text}")
                elif model._default_manager.filter(**lookup).exists():
                    found.append(f"{model._meta.label}.{field.name}: {text}")
    return found


def test_personal_details_are_erased_after_retention_and_figures_stay(
    client, world, settings, caplog
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    caplog.set_level(logging.DEBUG)
    NoticePreference.objects.create(user=world.manager_a, email_on_request=True)
    long_ago = timezone.now() - timedelta(days=31 * 26)
    with time_machine.travel(long_ago, tick=False):
        response = client.post(
            reverse("residences:help_request_residence", args=(world.tilleuls.slug,)),
            {
                "residence": world.tilleuls.pk,
                "building": world.tilleuls_b.pk,
                "category": "bruit",
                "message": "Messageplante tous les soirs",
                "first_name": "Prenomplante",
                "contact": "telephone",
                "phone": "06 11 22 33 44",
                "availability": "Dispoplante",
                "consent": "on",
            },
        )
        assert response.status_code == 302
        call_command("db_worker", batch=True, queue_name="*", verbosity=0, startup_delay=False)
        assert len(mail.outbox) == 1
        help_request = HelpRequest.objects.get()
        situation = services.convert_request(help_request, world.mediator_a)
        client.force_login(world.mediator_a)
        client.get(reverse("situations_detail", args=(situation.pk,)))
        Situation.objects.filter(pk=situation.pk).update(
            description="Descplante", next_step="Etapeplante"
        )
        situation.households.create(door="Porteplante", label="Roleplante", sort_order=1)
        services.log_action(
            situation,
            kind="visite",
            happened_on=timezone.localdate(),
            note="Noteplante",
            partner=None,
            user=world.mediator_a,
        )
        services.close(
            situation,
            outcome="accord",
            closed_on=timezone.localdate(),
            note="Noteplante encore",
            user=world.mediator_a,
        )
        lone = tenant_request(
            world.tilleuls, message="Messageplante seul", first_name="Prenomplante"
        )
        call_command("db_worker", batch=True, queue_name="*", verbosity=0, startup_delay=False)
        period = (timezone.localdate() - timedelta(days=5), timezone.localdate())
    recent = open_situation(world.tilleuls, world.mediator_a, households=[("Garde", "Gardee")])
    services.close(
        recent, outcome="echec", closed_on=timezone.localdate(), note="", user=world.mediator_a
    )
    before = figures.compute([world.north.pk], *period)
    assert text_columns_holding(PLANTED)  # the test can see them before the purge

    call_command("anonymise_registrations", verbosity=0)

    assert text_columns_holding(PLANTED) == []
    situation.refresh_from_db()
    assert situation.erased_at is not None and situation.building is None
    assert list(situation.households.values_list("door", "label")) == [("", ""), ("", "")]
    lone.refresh_from_db()
    assert lone.erased_at is not None and lone.message == ""
    # Within its retention period: kept as it was.
    assert list(recent.households.values_list("door", "label")) == [("Garde", "Gardee")]
    recent.refresh_from_db()
    assert recent.erased_at is None and recent.closed_on >= cutoff()
    # Anonymous figures: the same before and after.
    after = figures.compute([world.north.pk], *period)
    assert (after.opened, after.closed, after.requests) == (before.opened, before.closed, 2)
    assert after.outcomes == before.outcomes == [("Accord amiable", 1)]
    assert after.breakdowns == before.breakdowns
    # The erasure is in the audit trail, by the scheduled task (no user).
    assert AuditEntry.objects.filter(
        verb=AuditEntry.Verb.ERASE, situation=situation, user__isnull=True
    ).exists()
    assert AuditEntry.objects.filter(verb=AuditEntry.Verb.ERASE, help_request=lone).exists()
    # Task results hold ids and counts only.
    results = list(DBTaskResult.objects.values())
    assert [r["args_kwargs"]["args"] for r in results] == [[help_request.pk], [lone.pk]]
    assert [r["return_value"] for r in results] == [1, 1]
    for record in caplog.records:
        line = f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        assert not [text for text in PLANTED if text.lower() in line.lower()], line
    # Running it again erases nothing more.
    call_command("erase_situations", verbosity=0)
    assert AuditEntry.objects.filter(verb=AuditEntry.Verb.ERASE).count() == 2


def test_the_retention_period_is_a_setting(world, settings):
    settings.SITUATION_RETENTION_MONTHS = 1
    today = timezone.localdate()
    situation = open_situation(
        world.tilleuls, world.mediator_a, opened_on=today - timedelta(days=90)
    )
    services.close(
        situation,
        outcome="sans_suite",
        closed_on=today - timedelta(days=45),
        note="",
        user=world.mediator_a,
    )
    call_command("erase_situations", verbosity=0)
    situation.refresh_from_db()
    assert situation.erased_at is not None
    assert cutoff(date(2027, 3, 31)) == date(2027, 2, 28)
    settings.SITUATION_RETENTION_MONTHS = 24
    assert cutoff(date(2028, 2, 29)) == date(2026, 2, 28)
