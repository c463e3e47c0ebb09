"""Issue #20, point 8, on PostgreSQL: Wagtail's auto-save and « Publier » of the same new page,
two connections, the auto-save paused between its validation and its save.

SQLite's IMMEDIATE transactions serialise the two requests already (tests/events/
test_autosave_race.py covers both engines one request after the other). Here the publish must
wait on the parent's lock, then see the slug taken: a French form error, never a 500.
"""

import html

import pytest
import time_machine

from django.db import connection
from django.test import Client
from django.urls import reverse

from events.calendar.forms import SchedulePageForm
from events.models import EventPage
from portal import page_saves
from tests.events.test_admin import event_form
from tests.events.test_booking_interleavings import Pause, run, settle

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.engine,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises write transactions: no interleaving is possible",
    ),
]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


def publish_during_an_autosave(residence, category, monkeypatch) -> tuple[str, dict]:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-l")
    main = Client()
    main.force_login(user)
    cookies = main.cookies
    url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", residence.pk))
    pause = Pause()
    pause.thread_name = "autosave"
    monkeypatch.setattr(SchedulePageForm, "save", pause.wrap(SchedulePageForm.save))
    answers: dict = {}
    errors: list = []

    def post(name, data, **headers):
        client = Client(**headers)
        client.cookies = cookies
        response = client.post(url, data)
        answers[name] = response

    draft = event_form(category)
    del draft["action-publish"]
    saving = run(
        "autosave", lambda: post("autosave", draft, HTTP_ACCEPT="application/json"), errors=errors
    )
    assert pause.reached.wait(20)
    pid_box: dict = {}
    publishing = run(
        "publish", lambda: post("publish", event_form(category)), pid_box=pid_box, errors=errors
    )
    fared = settle(pid_box, publishing)
    pause.go_on.set()
    saving.join(20)
    publishing.join(20)
    assert errors == []
    return fared, answers


def test_the_publish_waits_for_the_autosave_then_says_the_slug_is_taken(
    residence, category, monkeypatch
):
    fared, answers = publish_during_an_autosave(residence, category, monkeypatch)
    assert fared == "blocked"
    assert answers["autosave"].status_code == 200 and answers["autosave"].json()["success"]
    publish = answers["publish"]
    assert publish.status_code == 200
    text = html.unescape(" ".join(publish.context["form"].errors["slug"]))
    assert "est déjà utilisée ici par « Atelier tricot » (brouillon)" in text
    pages = EventPage.objects.filter(slug="atelier-tricot")
    assert pages.count() == 1 and pages.get().latest_revision_id is not None


def test_without_the_parents_lock_the_race_happens_and_the_retry_answers(
    residence, category, monkeypatch
):
    """The negative control: the product's path minus the lock lets the publish validate and
    save while the auto-save is paused after its own validation, the interleaving that raised
    « slug déjà utilisé » out of the view (a 500). The auto-save's failed save is rolled back and
    its request answered as a form error (JSON, 400), never a 500; one page is left."""
    monkeypatch.setattr(page_saves, "lock_parent", lambda parent_page_id: None)
    fared, answers = publish_during_an_autosave(residence, category, monkeypatch)
    assert fared == "finished"
    assert answers["publish"].status_code == 302
    assert answers["autosave"].status_code == 400
    assert answers["autosave"].json()["success"] is False
    page = EventPage.objects.get(slug="atelier-tricot")
    assert page.live and page.latest_revision_id is not None
