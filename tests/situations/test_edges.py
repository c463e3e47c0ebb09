"""Edges of the Situations feature found by a hostile review: races with a close or the nightly
erasure, journal order, audit completeness, the language of the trail and of the exports, and
residences hidden from the public. Each docstring names what used to go wrong."""

import csv
import io
from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageViewRestriction
from wagtail.users.models import UserProfile

from residences.models import Building
from residences.situations import services
from residences.situations.admin_views import situations as situation_views
from residences.situations.audit import AuditEntry
from residences.situations.models import Action, Situation
from tests.situations.conftest import level, open_situation, team_user, tenant_request

pytestmark = [pytest.mark.django_db]
Verb = AuditEntry.Verb
TODAY = timezone.localdate


def speaks(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def edit_data(situation, **changes):
    household = situation.households.get()
    data = {
        "residence": situation.residence_id,
        "building": "",
        "category": situation.category,
        "intensity": situation.intensity_id,
        "opened_on": situation.opened_on.isoformat(),
        "description": situation.description,
        "next_step": "",
        "next_step_on": "",
        "menage-TOTAL_FORMS": "1",
        "menage-INITIAL_FORMS": "1",
        "menage-0-id": household.pk,
        "menage-0-door": household.door,
        "menage-0-label": household.label,
    }
    data.update(changes)
    return data


# Concurrency / history ---------------------------------------------------------------------


def test_an_edit_racing_a_close_does_not_silently_reopen_the_situation(client, world, monkeypatch):
    """services.update_situation saves the whole row loaded at the start of the edit request
    (ModelForm.save() -> Model.save() of every column, no lock, no re-check): a close committed
    meanwhile by a colleague is overwritten (closed_on/outcome back to empty), with no
    « Réouverture » line in the journal nor REOPEN in the audit trail."""
    situation = open_situation(world.tilleuls, world.mediator_a)
    original = services.update_situation

    def a_colleague_closes_first(stale, form, households, user):
        # The other request (close) commits between this request's read and its write.
        services.close(
            Situation.objects.get(pk=stale.pk),
            outcome="accord",
            closed_on=TODAY(),
            note="",
            user=world.manager_a,
        )
        return original(stale, form, households, user)

    monkeypatch.setattr(situation_views.services, "update_situation", a_colleague_closes_first)
    client.force_login(world.mediator_a)
    response = client.post(
        reverse("situations_edit", args=(situation.pk,)),
        edit_data(situation, category="autre"),
    )
    assert response.status_code == 302
    situation.refresh_from_db()
    journal = list(situation.actions.values_list("kind", flat=True))
    assert journal == [Action.Kind.CLOSED]
    # The journal says « closed », so the situation must still be closed.
    assert situation.closed_on == TODAY() and situation.outcome == "accord"


def test_an_edit_racing_the_nightly_erasure_does_not_undo_it(client, world, monkeypatch):
    """Same full-row save: the erasure (retention.erase, run by the daily purge) commits while
    a mediator's edit of the closed situation is in flight; the stale instance then writes
    erased_at back to NULL and the description back, so the erased situation is identifiable
    again and editable, with an ERASE entry in the audit trail that is no longer true."""
    from residences.situations import retention

    situation = open_situation(
        world.tilleuls, world.mediator_a, opened_on=TODAY() - timedelta(days=900)
    )
    services.close(
        situation,
        outcome="accord",
        closed_on=TODAY() - timedelta(days=800),
        note="",
        user=world.mediator_a,
    )
    original = services.update_situation

    def the_purge_runs_first(stale, form, households, user):
        retention.erase([stale.pk])
        return original(stale, form, households, user)

    monkeypatch.setattr(situation_views.services, "update_situation", the_purge_runs_first)
    client.force_login(world.mediator_a)
    data = edit_data(situation, next_step="Rappeler Mme D.")
    del data["opened_on"]  # not on the form of a closed situation
    client.post(reverse("situations_edit", args=(situation.pk,)), data)
    situation.refresh_from_db()
    assert AuditEntry.objects.filter(situation=situation, verb=Verb.ERASE).exists()
    assert situation.erased_at is not None
    assert situation.description == "" and situation.next_step == ""


def test_a_closing_cannot_be_dated_before_the_reopening_it_follows(client, world):
    """CloseForm.clean_closed_on only checks « not in the future » and « not before
    opened_on »: after a reopening, a new closing may be dated before it, so the journal
    (ordered by date) ends with « Réouverture » while the situation is closed, and the
    retention clock (closed_on) starts before the last closing really happened."""
    situation = open_situation(
        world.tilleuls, world.mediator_a, opened_on=TODAY() - timedelta(days=30)
    )
    client.force_login(world.mediator_a)
    close = reverse("situations_close", args=(situation.pk,))
    client.post(
        close, {"outcome": "accord", "closed_on": (TODAY() - timedelta(days=5)).isoformat()}
    )
    client.post(reverse("situations_reopen", args=(situation.pk,)), {"note": ""})
    client.post(
        close, {"outcome": "echec", "closed_on": (TODAY() - timedelta(days=20)).isoformat()}
    )
    situation.refresh_from_db()
    journal = list(situation.actions.order_by("happened_on", "created_at", "pk"))
    assert journal[-1].kind == Action.Kind.CLOSED or situation.closed_on is None


def test_a_request_set_aside_cannot_also_become_a_situation(client, world):
    """services.convert_request checks `situation_id` and `erased_at` but not `set_aside_at`
    (set_aside checks both): a forged POST, or a click racing « Classer sans suite », turns a
    request already set aside into a situation, and it ends up both « classée » and converted."""
    help_request = tenant_request(world.tilleuls)
    client.force_login(world.mediator_a)
    client.post(reverse("situations_request_set_aside", args=(help_request.pk,)))
    help_request.refresh_from_db()
    assert help_request.set_aside_at is not None
    client.post(reverse("situations_request_convert", args=(help_request.pk,)))
    assert not Situation.objects.exists()


# Audit trail completeness ------------------------------------------------------------------


def test_the_right_of_access_export_records_each_request_it_hands_over(client, world):
    """managers._access_export records an EXPORT per situation but none for the help requests
    whose message, phone, e-mail and availability it writes into the CSV: that read of a
    tenant's personal data leaves no trace naming the request."""
    help_request = tenant_request(world.tilleuls, first_name="Gomes")
    client.force_login(world.manager_a)
    response = client.post(reverse("situations_access"), {"query": "gomes", "export": "1"})
    assert help_request.reference in response.content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(help_request=help_request, verb=Verb.EXPORT).exists()


def test_the_situation_list_shows_households_only_with_a_trace(client, world):
    """situation_list prints every listed situation's households (door reference, first name
    or role) and records nothing, while the README says every read is recorded."""
    situation = open_situation(
        world.tilleuls, world.mediator_a, households=[("C 12", "Mme Listeplante")]
    )
    client.force_login(world.mediator_a)
    before = AuditEntry.objects.filter(situation=situation, verb=Verb.READ).count()
    page = client.get(reverse("situations_list")).content.decode()
    read = AuditEntry.objects.filter(situation=situation, verb=Verb.READ).count()
    assert "Listeplante" not in page or read > before


# The English admin -------------------------------------------------------------------------


def test_the_right_of_access_export_stays_french_for_an_english_manager(client, world):
    """_access_export wraps only the situations' rows in translation.override("fr"); the
    requests' category and contact (get_category_display / get_contact_display) are written
    in the manager's admin language, though the CSV is handed to the tenant (README: « a
    right-of-access export stays French »)."""
    tenant_request(world.tilleuls, first_name="Gomes")
    client.force_login(speaks(world.manager_a, "en"))
    response = client.post(reverse("situations_access"), {"query": "gomes", "export": "1"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    request_row = rows[-1]
    assert "Bruit" in request_row and "Par téléphone" in request_row, request_row


def test_audit_details_of_a_french_edit_read_in_english(client, world):
    """The audit detail is stored already translated in the writer's language
    (update_situation joins str() of the form labels) and shown with
    {% translate e.detail %}, which finds no msgid for « Catégorie, Niveau d'intensité »: an
    English manager reads French in the audit trail."""
    situation = open_situation(world.tilleuls, world.mediator_a)
    client.force_login(world.mediator_a)  # French
    client.post(
        reverse("situations_edit", args=(situation.pk,)),
        edit_data(situation, category="autre", intensity=level(1).pk),
    )
    assert AuditEntry.objects.filter(situation=situation, verb=Verb.UPDATE).exists()
    client.force_login(speaks(world.manager_a, "en"))
    page = client.get(reverse("situations_audit", args=(situation.pk,))).content.decode()
    assert "Catégorie" not in page, "French field names in the English audit trail"


def test_audit_details_of_an_english_close_read_in_french(client, world):
    """close() stores Situation.Outcome(outcome).label evaluated in the English writer's
    language: a French manager reads « Amicable agreement » in her audit trail."""
    situation = open_situation(world.tilleuls, world.mediator_a)
    english = team_user("mediatrice-en", *world.mediator_a.groups.all())
    client.force_login(speaks(english, "en"))
    client.post(
        reverse("situations_close", args=(situation.pk,)),
        {"outcome": "accord", "closed_on": TODAY().isoformat()},
    )
    assert AuditEntry.objects.filter(situation=situation, verb=Verb.CLOSE).exists()
    client.force_login(world.manager_a)  # French
    page = client.get(reverse("situations_audit", args=(situation.pk,))).content.decode()
    assert "Amicable agreement" not in page, "English outcome in the French audit trail"
    assert "Accord amiable" in page


# The public form ---------------------------------------------------------------------------


def test_the_public_form_does_not_name_a_private_residence(client, world):
    """HelpRequestForm lists buildings of every *live* residence
    (Building.objects.filter(residence__live=True)) with « <residence title> – <building> »,
    while residences are `.listed()` (live and public): the title of a residence under a
    Wagtail view restriction is printed on the public page."""
    private = world.north.add_child(
        instance=type(world.tilleuls)(title="Residence Confidentielle", slug="confidentielle")
    )
    Building.objects.create(residence=private, name="Bâtiment Z")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert "Confidentielle" not in client.get(private.url).content.decode()  # Wagtail hides it
    page = client.get(reverse("residences:help_request")).content.decode()
    assert "Confidentielle" not in page
