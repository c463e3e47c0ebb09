"""Issue #20, point 8: « Dépublier » once on a page's edit view, not twice."""

import re

import pytest

from django.urls import reverse

pytestmark = pytest.mark.django_db


def unpublish_links(html: str, page) -> list[str]:
    return re.findall(rf'href="/admin/pages/{page.pk}/unpublish/[^"]*"', html)


def test_unpublish_is_offered_once_on_the_edit_view(admin_client, publish_event, residence):
    page = publish_event(residence)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert html.count("Dépublier") == 1
    assert len(unpublish_links(html, page)) == 1
    # The publishing actions stay in the action menu at the bottom.
    assert 'name="action-publish"' in html
    assert admin_client.get(unpublish_links(html, page)[0][6:-1]).status_code == 200


def test_a_permanence_and_a_residence_too(admin_client, publish_permanence, residence):
    permanence = publish_permanence(residence)
    residence.save_revision().publish()
    for page in (permanence, residence):
        url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        assert admin_client.get(url).content.decode().count("Dépublier") == 1


def test_an_unpublished_page_offers_no_unpublish(admin_client, publish_event, residence):
    page = publish_event(residence)
    page.unpublish()
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "Dépublier" not in html
