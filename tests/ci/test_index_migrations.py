"""Indexes on tables that grow large are built without blocking writes (AddIndexConcurrently)."""

import pytest

from django.db import connection, models
from django.db.migrations import Migration
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddIndex, RemoveIndex
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext

from portal.migration_operations import AddIndexConcurrently, RemoveIndexConcurrently

pytestmark = pytest.mark.engine

# Tables with a row per date, per registration or per message: millions on a live portal.
LARGE_TABLES = {
    ("events", "occurrence"),
    ("events", "datechange"),
    ("events", "seatcounter"),
    ("events", "registration"),
    ("events", "managelink"),
    ("events", "notice"),
    ("events", "registrantmessage"),
    ("residences", "newspage"),
}
# Migrations up to these were written before the rule (and ran on small tables).
BEFORE_THE_RULE = {"events": 14, "residences": 5, "portal": 6}


def offending(migrations) -> list[str]:
    """Index changes on large tables, in migrations after the rule, that block writes."""
    found = []
    for (app, name), migration in migrations.items():
        if app not in BEFORE_THE_RULE or int(name.split("_")[0]) <= BEFORE_THE_RULE[app]:
            continue
        for operation in migration.operations:
            if not isinstance(operation, (AddIndex, RemoveIndex)):
                continue
            if (app, operation.model_name.lower()) not in LARGE_TABLES:
                continue
            concurrent = isinstance(operation, (AddIndexConcurrently, RemoveIndexConcurrently))
            if not concurrent or migration.atomic:
                found.append(f"{app}.{name}: {operation.describe()}")
    return found


def test_new_index_migrations_on_large_tables_are_concurrent_and_not_atomic():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = offending(loader.disk_migrations)
    assert not found, "use portal.migration_operations, atomic = False: " + str(found)


def test_the_rule_catches_a_blocking_index_and_accepts_a_concurrent_one():
    index = models.Index(fields=["status"], name="notice_status_idx")

    def migration(operation, atomic):
        made = Migration("0099_index", "events")
        made.operations, made.atomic = [operation], atomic
        return {("events", "0099_index"): made}

    assert offending(migration(AddIndex("notice", index), atomic=True))
    assert offending(migration(AddIndexConcurrently("notice", index), atomic=True))
    assert not offending(migration(AddIndexConcurrently("notice", index), atomic=False))
    assert not offending(migration(AddIndex("seriesversion", index), atomic=True))  # small


@pytest.mark.django_db(transaction=True)
def test_the_operation_builds_and_drops_the_index_on_either_engine():
    index = models.Index(fields=["status", "created_at"], name="test_notice_concurrent")
    operation = AddIndexConcurrently("notice", index)
    loader = MigrationLoader(connection)
    before = loader.project_state()
    after = before.clone()
    operation.state_forwards("events", after)
    table = "events_notice"

    with connection.schema_editor(atomic=False) as editor, CaptureQueriesContext(connection) as sql:
        operation.database_forwards("events", editor, before, after)
    with connection.cursor() as cursor:
        assert index.name in connection.introspection.get_constraints(cursor, table)
    statements = " ".join(q["sql"] for q in sql.captured_queries)
    if connection.vendor == "postgresql":
        assert "CREATE INDEX CONCURRENTLY" in statements
    else:
        assert "CREATE INDEX" in statements and "CONCURRENTLY" not in statements

    removal = RemoveIndexConcurrently("notice", index.name)
    with connection.schema_editor(atomic=False) as editor:
        removal.database_forwards("events", editor, after, before)
    with connection.cursor() as cursor:
        assert index.name not in connection.introspection.get_constraints(cursor, table)
    assert isinstance(before, ProjectState)
