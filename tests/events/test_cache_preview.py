"""Previews show drafts: they never read from, nor write into, the public fragment cache."""

from datetime import date, time

import pytest

from django.template import Context, Template
from django.test import RequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

FRAGMENT = Template('{% load portal_tags %}{% cached "probe" 1 %}{{ value }}{% endcached %}')


def render(value: str, preview: bool) -> str:
    request = RequestFactory().get("/")
    request.is_preview = preview
    return FRAGMENT.render(Context({"request": request, "value": value}))


def test_a_preview_neither_fills_nor_reads_the_public_fragment():
    assert render("brouillon", preview=True) == "brouillon"
    assert render("publié", preview=False) == "publié"  # the preview stored nothing
    assert render("brouillon 2", preview=True) == "brouillon 2"  # nor does it read the cache
    assert render("autre", preview=False) == "publié"  # the public fragment is cached


def test_previewing_a_draft_leaves_the_public_event_page_as_published(
    client, publish_event, residence
):
    page = publish_event(
        residence,
        title="Sortie à la mer",
        first_date=date(2030, 6, 1),
        start_time=time(8),
        end_time=time(19),
        registration_enabled=True,
        capacity=50,
    )
    signup = 'class="signup-link"'
    assert signup in client.get(page.url).content.decode()  # the public fragments are cached
    draft = page.specific
    draft.registration_enabled = False
    draft.save_revision()
    preview = draft.get_latest_revision_as_object().make_preview_request()
    assert signup not in preview.content.decode()
    assert signup in client.get(page.url).content.decode()
