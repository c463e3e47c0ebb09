"""Issue #20, point 8: « Publier » clicked within half a second of typing meets Wagtail's
auto-save of the same new page.

The auto-save creates the page as a draft while the publish request, sent to the same « add »
address before the auto-save's answer came back, is between its form's validation and its save:
both saw the slug free. Reproduced deterministically by creating the auto-saved draft at that
very point (the form's `save`, which Wagtail calls after validation and before `add_child`).
Before the fix: Page.full_clean raised « slug déjà utilisé » out of the view, a 500.
"""

import html

import pytest
import time_machine

from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail.models import Page

from events.models import EventPage, Occurrence
from tests.events.test_admin import event_form

pytestmark = [pytest.mark.django_db, pytest.mark.engine]  # the parent row lock


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("events", "eventpage", parent.pk))


def autosave(client, parent, category):
    """What Wagtail's auto-save sends: the form without an action, answered in JSON."""
    data = event_form(category)
    del data["action-publish"]
    response = client.post(add_url(parent), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["success"], response.content[:300]
    return EventPage.objects.get(pk=response.json()["pk"])


def assert_one_page_with_its_revision(residence):
    pages = EventPage.objects.filter(slug="atelier-tricot")
    assert pages.count() == 1
    page = pages.get()
    assert page.get_parent().pk == residence.pk
    assert page.latest_revision_id is not None
    assert not Page.objects.filter(slug="atelier-tricot", latest_revision__isnull=True).exists()
    return page


def test_a_save_that_fails_half_way_leaves_no_page_behind(
    admin_client, residence, category, monkeypatch
):
    """Create, then publish without the revision: the slug taken between the page row and its
    revision (Page.save_revision cleans the page again). Nothing of it stays, no 500."""
    original = EventPage.save_revision
    failed = []

    def save_revision(page, *args, **kwargs):
        if not failed:
            failed.append(page.pk)
            assert Page.objects.filter(pk=page.pk).exists()  # the row was written
            raise ValidationError({"slug": ["Le slug est déjà utilisé."]})
        return original(page, *args, **kwargs)

    monkeypatch.setattr(EventPage, "save_revision", save_revision)
    response = admin_client.post(add_url(residence), event_form(category))
    assert failed, "the half-way failure was not injected"
    assert not Page.objects.filter(pk=failed[0]).exists() or (
        Page.objects.get(pk=failed[0]).latest_revision_id is not None
    )
    assert response.status_code in (200, 302)
    page = assert_one_page_with_its_revision(residence)
    assert page.live  # the request ran again, cleanly, and published


def test_publish_after_the_autosave_answered_is_the_same_french_error(
    admin_client, residence, category
):
    draft = autosave(admin_client, residence, category)
    response = admin_client.post(add_url(residence), event_form(category))
    assert response.status_code == 200
    text = html.unescape(" ".join(response.context["form"].errors["slug"]))
    assert "« atelier-tricot » est déjà utilisée ici par « Atelier tricot » (brouillon)" in text
    page = assert_one_page_with_its_revision(residence)
    assert page.pk == draft.pk and not page.live
    assert not Occurrence.objects.filter(page=page).exists()


def test_a_publish_without_a_race_still_publishes(admin_client, residence, category):
    response = admin_client.post(add_url(residence), event_form(category))
    assert response.status_code == 302
    assert EventPage.objects.get(slug="atelier-tricot").live
