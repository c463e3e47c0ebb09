"""The demo landlord built once per module: hostile-input tests send hundreds of requests to it."""

import itertools

import pytest

from django.core.management import call_command
from django.db import transaction

_addresses = itertools.count(1)


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """`seed_demo` inside a transaction rolled back after the module; each test nests in it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def site(demo_site, db):
    return None


def new_address() -> str:
    """A fresh client address per request, so rate limits never hide a code path."""
    number = next(_addresses)
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
