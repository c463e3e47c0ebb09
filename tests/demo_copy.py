"""The demo landlord, built by `seed_demo` once a day per test process and then copied back.

`seed_demo` takes seconds; on SQLite the whole database can be copied in and out with SQLite's
backup API in milliseconds. The copy replaces the entire database (rows, sequences, content
types), so it does not matter what the database held before. PostgreSQL always seeds.
"""

import sqlite3
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

_copies: dict[str, tuple[date, sqlite3.Connection]] = {}


def on_sqlite() -> bool:
    return connection.vendor == "sqlite"


def take() -> sqlite3.Connection:
    """The database as it is now, in memory."""
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    return copy


def put(copy: sqlite3.Connection) -> None:
    """Make the database what `copy` holds, for this connection and every other one."""
    connection.ensure_connection()
    copy.backup(connection.connection)
    ContentType.objects.clear_cache()  # ids are the copy's now


def seed_demo() -> None:
    """`seed_demo`, or the copy of what it built today (its dates are relative to today)."""
    today = date.today()
    if on_sqlite() and "demo" in _copies and _copies["demo"][0] == today:
        put(_copies["demo"][1])
        return
    call_command("seed_demo", verbosity=0)
    if on_sqlite():
        _copies["demo"] = (today, take())
