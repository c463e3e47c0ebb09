"""Whole public pages from the cache: for visitors without a session only, never personal."""

from datetime import date, time

import pytest
import time_machine

from django.core.cache import cache
from django.urls import reverse

from wagtail.models import PageViewRestriction

from events.models import Registration
from portal.cache import pages as page_cache
from portal.cache.tags import EPOCH, build, bump, depends_on, generations, is_fresh

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

HIT = "portal; hit"
SIGNUP = {
    "first_name": "Awa",
    "adults": "2",
    "children": "0",
    "residence": "",
    "building": "",
    "email": "awa.diallo@example.fr",
    "phone": "06 12 34 56 78",
    "consent": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-03 09:00 +01:00", tick=False):
        yield


@pytest.fixture(autouse=True)
def enabled(settings, home):
    settings.PAGE_CACHE_TIMEOUT = 120
    from portal.models import PortalSettings

    # Created on a site's first request, a site-wide save: made beforehand, as on a live site.
    PortalSettings.for_site(home.get_site())


@pytest.fixture
def knitting(publish_event, residence):
    return publish_event(
        residence,
        title="Tricot",
        frequency="weekly",
        count=3,
        first_date=date(2026, 3, 10),
        start_time=time(14),
        end_time=time(16),
        registration_enabled=True,
        capacity=12,
    )


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-1")


def warm(client, url: str, **extra):
    client.get(url, **extra)
    return client.get(url, **extra)


def cached_bytes() -> list[bytes]:
    """Every value the cache holds, as stored (pickled), whatever the backend."""
    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):  # LocMemCache
        return list(cache._cache.values())
    client = cache._cache.get_client()
    return [client.get(key) or b"" for key in client.scan_iter("*")]


def page_entries() -> int:
    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):
        return sum(":page:fr:" in key for key in cache._cache)
    return sum(1 for _ in cache._cache.get_client().scan_iter("*:page:fr:*"))


def test_a_second_anonymous_request_is_served_from_the_cache_without_a_query(
    client, residence, knitting, django_assert_num_queries
):
    first = client.get(residence.url)
    assert first["Cache-Status"].startswith("portal; fwd=miss")
    client.get(residence.url)
    with django_assert_num_queries(0):
        again = client.get(residence.url)
    assert again["Cache-Status"] == HIT
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Cookie" in again["Vary"]


def test_the_cached_page_carries_no_nonce_and_the_policy_needs_none(client, residence):
    response = warm(client, residence.url)
    assert response["Cache-Status"] == HIT
    assert "nonce" not in response["Content-Security-Policy"]
    assert "nonce=" not in response.content.decode()
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_a_signed_in_editor_never_gets_nor_fills_the_cache(client, residence, superuser):
    client.force_login(superuser)
    signed_in = client.get(residence.url)
    assert "Cache-Status" not in signed_in
    assert page_entries() == 0  # not stored
    assert b"wagtail-userbar" in signed_in.content

    client.logout()
    anonymous = warm(client, residence.url)
    assert anonymous["Cache-Status"] == HIT and b"wagtail-userbar" not in anonymous.content

    client.force_login(superuser)
    again = client.get(residence.url)
    assert "Cache-Status" not in again and b"wagtail-userbar" in again.content


def test_a_preview_is_never_cached_and_a_draft_never_reaches_visitors(
    client, residence, knitting, superuser
):
    assert warm(client, knitting.url)["Cache-Status"] == HIT
    draft = knitting.get_latest_revision_as_object()
    draft.title = "Tricot (brouillon secret)"
    draft.save_revision()

    client.force_login(superuser)
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=(knitting.pk,)))
    assert b"brouillon secret" in preview.content and "Cache-Status" not in preview
    client.logout()

    visitor = client.get(knitting.url)
    assert visitor["Cache-Status"] == HIT and b"brouillon secret" not in visitor.content
    assert not any(b"brouillon secret" in value for value in cached_bytes())


def test_posts_are_never_answered_from_the_cache(client, residence):
    assert warm(client, residence.url)["Cache-Status"] == HIT
    response = client.post(residence.url, {"x": "1"})
    assert response.get("Cache-Status") != HIT


def test_a_message_to_show_bypasses_the_cache(client, residence):
    warm(client, residence.url)
    client.cookies["messages"] = "anything"
    assert "Cache-Status" not in client.get(residence.url)


def test_unknown_query_parameters_are_served_uncached(client, residence):
    response = warm(client, residence.url + "?utm_source=affiche")
    assert response.status_code == 200 and "Cache-Status" not in response
    assert page_entries() == 0


def test_known_filters_are_cached_separately(client, agenda, knitting):
    everything = warm(client, "/agenda/")
    week = warm(client, "/agenda/?periode=semaine")
    assert everything["Cache-Status"] == week["Cache-Status"] == HIT
    assert page_entries() == 2


def test_a_password_protected_page_is_never_stored(client, residence):
    PageViewRestriction.objects.create(
        page=residence, restriction_type=PageViewRestriction.PASSWORD, password="secret-123"
    )
    response = warm(client, residence.url)
    assert "Cache-Status" not in response or response["Cache-Status"] != HIT
    assert page_entries() == 0


@pytest.mark.parametrize("skip_nothing", [False, True], ids=["as-configured", "no-prefix-skip"])
def test_sign_up_and_manage_pages_never_reach_the_cache(client, knitting, settings, skip_nothing):
    """Even with no path skipped, pages with a CSRF token or personal data are not stored."""
    if skip_nothing:
        settings.PAGE_CACHE_SKIP_PREFIXES = []
    occurrence = knitting.occurrences.order_by("start").first()
    signup = reverse("events:signup", args=(occurrence.pk,))
    assert b"csrfmiddlewaretoken" in client.get(signup).content
    assert client.get(signup).get("Cache-Status") != HIT
    done = client.post(signup, SIGNUP)
    assert done.status_code == 302
    token = done["Location"].split("/gerer/")[1].split("/")[0]
    manage = client.get(done["Location"])
    assert b"Awa" in manage.content
    short = client.get(reverse("events:manage_short", args=(token,)))
    assert short.get("Cache-Status") != HIT
    for url in (knitting.url, knitting.get_parent().url):
        client.cookies.clear()  # a visitor without the sign-up's cookies
        warm(client, url)
    assert Registration.objects.count() == 1

    stored = cached_bytes()
    assert page_entries() >= 2
    for secret in (b"csrfmiddlewaretoken", b"Awa", b"awa.diallo", b"612345678", token.encode()):
        assert not any(secret in value for value in stored), secret


def test_a_page_that_sets_a_cookie_is_not_stored(rf, settings):
    from django.http import HttpResponse

    def view(request):
        page_cache.allow(request, ["page:1"])
        response = HttpResponse("bonjour")
        response.set_cookie("suivi", "1")
        return response

    middleware = page_cache.PageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(rf.get("/page/"))
        assert response.content == b"bonjour" and "Cache-Status" not in response
    assert page_entries() == 0


def test_a_build_that_raced_a_change_is_not_stored():
    """A change committed while a page was built could hide under a fresh-looking snapshot."""

    def build_during_a_publish():
        depends_on("node:0001")
        bump("node:00010002")  # elsewhere, yet it moved the epoch
        return "page"

    value, tags, snapshot = build(build_during_a_publish)
    assert value == "page" and "node:0001" in tags
    assert snapshot is None

    value, tags, snapshot = build(lambda: depends_on("node:0001") or "page")
    assert snapshot is not None and EPOCH not in snapshot and is_fresh(snapshot)
    bump("node:0001")
    assert not is_fresh(snapshot)


def test_a_fresh_snapshot_is_checked_in_one_round_trip(monkeypatch):
    snapshot = generations(["a", "b", "site"])
    calls = []
    original = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: calls.append(keys) or original(keys))
    assert is_fresh(snapshot)
    assert len(calls) == 1
