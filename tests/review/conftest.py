"""The review's tests reuse the fixtures of tests/situations (two sectors, their teams)."""

from tests.situations.conftest import world  # noqa: F401
