"""Index operations for tables that grow large: built without blocking writes on PostgreSQL.

`CREATE INDEX` locks a table against writes until the index is built: on the occurrence,
registration or notice tables of a live portal that is minutes of refused sign-ups. PostgreSQL's
`CREATE INDEX CONCURRENTLY` builds it beside the writes, but cannot run in a transaction, so a
migration using these operations declares `atomic = False` and holds nothing else that needs one.
On SQLite (the embedded set-up, tests) they are Django's plain `AddIndex` / `RemoveIndex`: the
state is the same, only the lock differs (an SQLite write lock is the whole database anyway).
"""

from django.contrib.postgres.operations import (
    AddIndexConcurrently as PostgresAddIndexConcurrently,
)
from django.contrib.postgres.operations import (
    RemoveIndexConcurrently as PostgresRemoveIndexConcurrently,
)
from django.db.migrations.operations import AddIndex, RemoveIndex


def _postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class AddIndexConcurrently(PostgresAddIndexConcurrently):
    """`CREATE INDEX CONCURRENTLY` on PostgreSQL, a plain `CREATE INDEX` elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _postgres(schema_editor):
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _postgres(schema_editor):
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)

    def deconstruct(self):
        _name, args, kwargs = super().deconstruct()
        return self.__class__.__name__, args, kwargs


class RemoveIndexConcurrently(PostgresRemoveIndexConcurrently):
    """`DROP INDEX CONCURRENTLY` on PostgreSQL, a plain `DROP INDEX` elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _postgres(schema_editor):
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _postgres(schema_editor):
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)

    def deconstruct(self):
        _name, args, kwargs = super().deconstruct()
        return self.__class__.__name__, args, kwargs
