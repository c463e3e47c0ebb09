"""The Situations area as its team uses it: a request turned into a situation in one click, the
journal, closing and reopening (nothing deleted), the audit trail of every read and change, the
manager's exports and right of access, the dashboard, and constant query counts."""

import csv
import io
from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from residences.models import Partner
from residences.situations.audit import AppendOnlyError, AuditEntry
from residences.situations.models import Action, HelpRequest, Situation
from tests.situations.conftest import open_situation, tenant_request

pytestmark = [pytest.mark.django_db, pytest.mark.engine]
Verb = AuditEntry.Verb
TODAY = timezone.localdate


def verbs(situation):
    return list(
        AuditEntry.objects.filter(situation=situation).order_by("pk").values_list("verb", "user")
    )


def test_a_request_becomes_a_situation_in_one_click(client, world):
    help_request = tenant_request(world.tilleuls, building=world.tilleuls_b)
    client.force_login(world.mediator_a)
    page = client.get(reverse("situations_request", args=(help_request.pk,)))
    assert "Mon voisin fait du bruit la nuit." in page.content.decode()
    response = client.post(reverse("situations_request_convert", args=(help_request.pk,)))
    situation = Situation.objects.get()
    assert response["Location"] == reverse("situations_edit", args=(situation.pk,))
    assert (situation.residence, situation.building, situation.category) == (
        world.tilleuls,
        world.tilleuls_b,
        "bruit",
    )
    assert situation.sector == world.north and situation.intensity.level == 1
    assert [str(h) for h in situation.households.all()] == ["Fatou"]
    help_request.refresh_from_db()
    assert help_request.situation == situation
    assert (Verb.READ, world.mediator_a.pk) in list(help_request.audit.values_list("verb", "user"))
    assert verbs(situation) == [(Verb.CONVERT, world.mediator_a.pk)]
    # A second click makes nothing more.
    client.post(reverse("situations_request_convert", args=(help_request.pk,)))
    assert Situation.objects.count() == 1


def test_a_request_set_aside_is_kept_and_listed_apart(client, world):
    help_request = tenant_request(world.tilleuls)
    client.force_login(world.mediator_a)
    client.post(reverse("situations_request_set_aside", args=(help_request.pk,)), follow=True)
    help_request.refresh_from_db()
    assert help_request.set_aside_by == world.mediator_a
    assert help_request.reference not in client.get(reverse("situations_requests")).content.decode()
    listed = client.get(reverse("situations_requests"), {"voir": "traitees"}).content.decode()
    assert help_request.reference in listed


def test_opening_editing_and_the_audit_never_holds_a_value(client, world):
    client.force_login(world.mediator_a)
    response = client.post(
        reverse("situations_create"),
        {
            "residence": world.tilleuls.pk,
            "building": world.tilleuls_b.pk,
            "category": "parties_communes",
            "intensity": Situation._meta.get_field("intensity")
            .related_model.objects.get(level=2)
            .pk,
            "opened_on": TODAY().isoformat(),
            "description": "Scooter garé dans le hall.",
            "next_step": "Revoir le gardien",
            "next_step_on": (TODAY() + timedelta(days=2)).isoformat(),
            "menage-TOTAL_FORMS": "2",
            "menage-INITIAL_FORMS": "0",
            "menage-0-door": "B 1er",
            "menage-0-label": "Jean-Marc",
            "menage-1-door": "",
            "menage-1-label": "",
        },
    )
    situation = Situation.objects.get()
    assert response["Location"] == reverse("situations_detail", args=(situation.pk,))
    assert [str(h) for h in situation.households.all()] == ["B 1er – Jean-Marc"]
    client.get(reverse("situations_detail", args=(situation.pk,)))
    client.get(reverse("situations_edit", args=(situation.pk,)))
    household = situation.households.get()
    client.post(
        reverse("situations_edit", args=(situation.pk,)),
        {
            "residence": world.tilleuls.pk,
            "building": world.tilleuls_b.pk,
            "category": "incivilites",
            "intensity": situation.intensity_id,
            "opened_on": situation.opened_on.isoformat(),
            "description": "Scooter garé dans le hall.",
            "next_step": "Revoir le gardien",
            "next_step_on": situation.next_step_on.isoformat(),
            "menage-TOTAL_FORMS": "2",
            "menage-INITIAL_FORMS": "1",
            "menage-0-id": household.pk,
            "menage-0-door": "B 1er",
            "menage-0-label": "Jean-Marc",
            "menage-1-door": "B 2e",
            "menage-1-label": "voisine du dessus",
        },
    )
    situation.refresh_from_db()
    assert situation.category == "incivilites" and situation.households.count() == 2
    me = world.mediator_a.pk
    assert verbs(situation) == [
        (Verb.CREATE, me),
        (Verb.READ, me),
        (Verb.READ, me),
        (Verb.UPDATE, me),
    ]
    update = AuditEntry.objects.get(situation=situation, verb=Verb.UPDATE)
    assert update.detail == "Catégorie, ménages concernés"
    for value in ("Jean-Marc", "voisine", "Scooter", "B 2e", "incivilites"):
        assert value not in " ".join(AuditEntry.objects.values_list("detail", flat=True))


def test_a_building_of_another_residence_is_refused_at_the_field(client, world):
    client.force_login(world.mediator_a)
    response = client.post(
        reverse("situations_create"),
        {
            "residence": world.tilleuls.pk,
            "building": world.peupliers_a.pk,
            "category": "bruit",
            "intensity": 1,
            "opened_on": TODAY().isoformat(),
            "menage-TOTAL_FORMS": "0",
            "menage-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Situation.objects.exists()


def test_the_journal_a_visit_a_meeting_a_referral_then_closing_and_reopening(client, world):
    situation = open_situation(world.tilleuls, world.mediator_a)
    client.force_login(world.mediator_a)
    log = reverse("situations_log", args=(situation.pk,))
    day = TODAY().isoformat()
    client.post(log, {"kind": "visite", "happened_on": day, "note": "Rencontré au 3e."})
    client.post(log, {"kind": "mediation", "happened_on": day, "note": ""})
    # A referral names its partner, among those of the sector (or of none).
    response = client.post(log, {"kind": "orientation", "happened_on": day})
    assert "Choisissez le partenaire" in response.content.decode()
    elsewhere = Partner.objects.create(name="Mairie de Lille-Sud", kind=Partner.Kind.TOWN_HALL)
    elsewhere.sectors.add(world.south)
    response = client.post(
        log, {"kind": "orientation", "happened_on": day, "partner": elsewhere.pk}
    )
    assert response.status_code == 200
    future = (TODAY() + timedelta(days=3)).isoformat()
    assert (
        "dans le futur"
        in client.post(log, {"kind": "appel", "happened_on": future}).content.decode()
    )
    client.post(log, {"kind": "orientation", "happened_on": day, "partner": world.partner_a.pk})
    # Closing and reopening are journal lines, not kinds anyone can log.
    assert client.post(log, {"kind": "cloture", "happened_on": day}).status_code == 200
    assert list(situation.actions.values_list("kind", "author")) == [
        ("visite", world.mediator_a.pk),
        ("mediation", world.mediator_a.pk),
        ("orientation", world.mediator_a.pk),
    ]
    close = reverse("situations_close", args=(situation.pk,))
    too_early = (situation.opened_on - timedelta(days=1)).isoformat()
    response = client.post(close, {"outcome": "accord", "closed_on": too_early})
    assert "ne peut pas précéder" in response.content.decode()
    client.post(close, {"outcome": "accord", "closed_on": day})
    situation.refresh_from_db()
    assert (situation.closed_on, situation.outcome) == (TODAY(), "accord")
    client.post(reverse("situations_reopen", args=(situation.pk,)), {"note": "Ça recommence."})
    situation.refresh_from_db()
    assert situation.closed_on is None and situation.outcome == ""
    journal = list(situation.actions.values_list("kind", "outcome"))
    assert journal[-2:] == [("cloture", "accord"), ("reouverture", "")]
    assert list(
        AuditEntry.objects.filter(situation=situation).values_list("verb", flat=True).order_by("pk")
    ) == [Verb.CREATE, Verb.LOG, Verb.LOG, Verb.LOG, Verb.CLOSE, Verb.REOPEN]


def test_the_audit_trail_is_append_only(world):
    situation = open_situation(world.tilleuls, world.mediator_a)
    entry = AuditEntry.objects.get(situation=situation)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_managers_see_the_audit_trail_and_export_mediators_do_not(client, world):
    situation = open_situation(world.tilleuls, world.mediator_a)
    client.force_login(world.mediator_a)
    client.get(reverse("situations_detail", args=(situation.pk,)))
    client.force_login(world.manager_a)
    page = client.get(reverse("situations_audit", args=(situation.pk,))).content.decode()
    assert page.count("Consultation") >= 1 and "nadia" in page and "Création" in page
    log = client.get(reverse("situations_audit_log")).content.decode()
    assert situation.reference in log
    export = client.get(reverse("situations_export", args=(situation.pk,)))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Référence" and rows[1][0] == situation.reference
    assert "voisin du dessus" in rows[1][9]
    assert AuditEntry.objects.filter(
        situation=situation, verb=Verb.EXPORT, user=world.manager_a
    ).exists()


def test_exports_are_formula_safe(client, world):
    situation = open_situation(world.tilleuls, world.mediator_a, households=[("=1+1", "@SUM(A1)")])
    client.force_login(world.manager_a)
    body = client.get(reverse("situations_export_all")).content.decode("utf-8-sig")
    assert "'=1+1 – @SUM(A1)" in body and situation.reference in body


def test_right_of_access_finds_what_concerns_a_person_without_logging_the_name(client, world):
    mine = open_situation(world.tilleuls, world.mediator_a, households=[("C 12", "Mme Gomes")])
    open_situation(world.tilleuls, world.mediator_a, households=[("A 1", "voisin")])
    theirs = open_situation(world.peupliers, world.mediator_b, households=[("D 4", "Mme Gomes")])
    request = tenant_request(world.tilleuls, first_name="Gomes")
    client.force_login(world.manager_a)
    page = client.post(reverse("situations_access"), {"query": "gomes"}).content.decode()
    assert mine.reference in page and request.reference in page
    assert theirs.reference not in page
    export = client.post(reverse("situations_access"), {"query": "gomes", "export": "1"})
    body = export.content.decode("utf-8-sig")
    assert mine.reference in body and request.reference in body and theirs.reference not in body
    details = " ".join(AuditEntry.objects.values_list("detail", flat=True))
    assert "omes" not in details and "1 situation(s), 1 demande(s)" in details
    client.force_login(world.mediator_a)
    assert client.post(reverse("situations_access"), {"query": "gomes"}).status_code == 302


def test_the_dashboard_shows_next_steps_and_level_three_to_managers(client, world):
    grave = open_situation(world.tilleuls, world.mediator_a, level=3)
    soon = open_situation(
        world.tilleuls,
        world.mediator_a,
        next_step="Réunion avec l'amicale",
        next_step_on=TODAY() + timedelta(days=3),
    )
    client.force_login(world.manager_a)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Demandent votre attention" in home and grave.reference in home
    assert "Réunion avec l&#x27;amicale" in home
    client.force_login(world.mediator_a)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Demandent votre attention" not in home and soon.reference in home
    client.force_login(world.mediator_b)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert grave.reference not in home and soon.reference not in home


def test_situations_never_reach_the_site_search_nor_a_feed(client, world):
    open_situation(world.tilleuls, world.mediator_a, description="Zorglubmot confidentiel")
    tenant_request(world.tilleuls, message="Zorglubmot aussi")
    from wagtail.search.index import get_indexed_models

    assert not {Situation, HelpRequest} & set(get_indexed_models())
    found = client.get("/recherche/", {"q": "Zorglubmot"}).content.decode()
    assert "Zorglubmot confidentiel" not in found and "Zorglubmot aussi" not in found
    assert "Zorglubmot" not in client.get("/flux/actualites.xml").content.decode()
    assert "Zorglubmot" not in client.get(world.tilleuls.url).content.decode()


def many(world, count):
    for index in range(count):
        situation = open_situation(
            world.tilleuls,
            world.mediator_a,
            households=[(f"P{index}", "voisin"), (f"Q{index}", "voisine")],
            level=1 + index % 3,
            next_step="Rappeler",
            next_step_on=TODAY() + timedelta(days=1),
        )
        Action.objects.create(
            situation=situation, kind="visite", happened_on=TODAY(), author=world.mediator_a
        )
        tenant_request(world.tilleuls)


@pytest.mark.parametrize(
    "name",
    ["situations_list", "situations_requests", "situations_figures", "wagtailadmin_home"],
)
def test_query_counts_stay_constant_as_data_grows(client, world, name, django_assert_num_queries):
    client.force_login(world.manager_a)
    url = reverse(name)
    params = {"statut": "toutes", "du": "2000-01-01", "au": "2100-01-01"}
    many(world, 2)
    client.get(url, params)  # warm-up (session, Wagtail's own caches)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url, params).status_code == 200
    many(world, 12)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, params)
    assert response.status_code == 200
    if name == "situations_list":
        assert response.content.decode().count("situation-card") == 14


def test_closing_twice_or_editing_an_erased_situation_changes_nothing(client, world):
    situation = open_situation(world.tilleuls, world.mediator_a)
    client.force_login(world.mediator_a)
    close = reverse("situations_close", args=(situation.pk,))
    client.post(close, {"outcome": "echec", "closed_on": TODAY().isoformat()})
    client.post(close, {"outcome": "accord", "closed_on": TODAY().isoformat()})
    situation.refresh_from_db()
    assert situation.outcome == "echec"
    assert situation.actions.filter(kind="cloture").count() == 1
    assert HelpRequest.objects.count() == 0
