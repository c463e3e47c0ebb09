"""Security tests share the demo landlord (tests/conftest.py): hostile-input tests send hundreds
of requests to it."""

import itertools

import pytest

_addresses = itertools.count(1)


@pytest.fixture
def site(shared_demo):
    return None


def new_address() -> str:
    """A fresh client address per request, so rate limits never hide a code path."""
    number = next(_addresses)
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
