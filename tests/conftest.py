"""Shared fixtures: a site tree that survives live-server flushes."""

import pytest

from django.core.management import call_command

from portal.sitetree import ensure_home_page
from tests.factories import ResidencePageFactory, SectorPageFactory


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
    """The full demo landlord, as `make run` builds it."""
    call_command("seed_demo", verbosity=0)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache (Redis in CI): every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
