"""Shared fixtures: a site tree that survives live-server flushes, and the demo built once."""

import os

import pytest

from django.core.management import call_command
from django.db import connection, transaction

from portal.sitetree import ensure_home_page
from tests import dbtemplate, demo_copy
from tests.factories import ResidencePageFactory, SectorPageFactory

ENGINE_MARKER = (
    "engine: depends on the database engine or the cache backend (locking, concurrency, query "
    "counts, migrations, caches, rate limits, health); CI runs these again on PostgreSQL + Redis"
)


def pytest_configure(config):
    config.addinivalue_line("markers", ENGINE_MARKER)


@pytest.fixture(scope="session", autouse=True)
def _media_of_this_worker():
    """Under pytest-xdist, each worker stores uploads in a folder of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield
        return
    from django.conf import settings
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=f"{settings.MEDIA_ROOT}-{worker}"):
        yield


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    """Keep a test database copied from the migrated template (tests/dbtemplate.py)."""
    if request.config.getvalue("reuse_db"):
        return True
    if request.config.getvalue("create_db"):
        return False
    return dbtemplate.restore()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb, django_db_blocker):
    """The migrated test database plus our home page and default site, committed once.

    Most tests start from them, so `home` finds them instead of building them (0.4 s a test).
    A transactional test's flush removes them; `ensure_home_page` rebuilds them after it.
    """
    with django_db_blocker.unblock():
        created = _test_database_for_modules_without_db_tests(django_db_keepdb)
        if not django_db_keepdb:
            dbtemplate.save()
        ensure_home_page()
    yield
    if created is not None:
        with django_db_blocker.unblock():
            connection.creation.destroy_test_db(created, keepdb=django_db_keepdb, verbosity=0)


def _test_database_for_modules_without_db_tests(keepdb: bool) -> str | None:
    """pytest-django sets up the test database only when a collected test asks for `db`,
    `transactional_db`, `live_server` or the `django_db` mark. The browser modules that share
    one demo server (`shared_live_demo`) ask for none of them: run alone, they would find the
    development database. Create the test database for them; returns the name to restore."""
    test_name = connection.creation._get_test_db_name()
    if connection.settings_dict["NAME"] == test_name:
        return None
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keepdb)
    return original


@pytest.fixture
def home(db):
    return ensure_home_page()


@pytest.fixture
def sector(home):
    return SectorPageFactory(parent=home, title="Agence Nord", slug="agence-nord")


@pytest.fixture
def residence(sector):
    return ResidencePageFactory(parent=sector, title="Les Tilleuls", slug="les-tilleuls")


@pytest.fixture
def demo(db):
    """The full demo landlord, as `make run` builds it, for this test alone."""
    call_command("seed_demo", verbosity=0)


_shared = {"module": None}


@pytest.fixture(scope="module")
def demo_site(request, django_db_setup, django_db_blocker):
    """The demo landlord for a whole module, gone after it.

    On SQLite the database is copied aside, the demo copied in (tests/demo_copy.py) and the
    database copied back after the module; on PostgreSQL `seed_demo` runs inside a transaction
    rolled back after the module. Each test that asks for `shared_demo` nests its own
    transaction in it, so what a test changes is gone before the next one. Every database test
    of such a module must ask for it (`pytestmark = pytest.mark.usefixtures("shared_demo")`): a
    test that does not would silently run on the demo.
    """
    with django_db_blocker.unblock():
        if demo_copy.on_sqlite():
            before = demo_copy.take()
            demo_copy.seed_demo()
            _shared["module"] = request.module.__name__
            try:
                yield
            finally:
                _shared["module"] = None
                demo_copy.put(before)
            return
        with transaction.atomic():
            call_command("seed_demo", verbosity=0)
            _shared["module"] = request.module.__name__
            try:
                yield
            finally:
                _shared["module"] = None
                transaction.set_rollback(True)


@pytest.fixture
def shared_demo(demo_site, db):
    """The module's demo landlord; this test's changes roll back when it ends."""


@pytest.fixture(autouse=True)
def _no_test_inside_a_demo_it_did_not_ask_for(request):
    module = _shared["module"]
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if module is not None and uses_database and "demo_site" not in request.fixturenames:
        pytest.fail(
            f"{request.node.nodeid} uses the database while {module} holds the shared demo: "
            "give it `shared_demo`, or move it to a module that does not share the demo"
        )


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    """The locmem SMS backend's outbox, as Django empties mail.outbox: every test starts empty."""
    from portal import sms

    sms.outbox.clear()
    yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache (Redis in CI): every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
