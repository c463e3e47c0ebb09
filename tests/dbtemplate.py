"""A migrated SQLite test database kept as a template, so a test session copies it instead of
running every migration again (about 15 s, in each pytest-xdist worker).

The template's name carries a hash of every migration file of the project and of the installed
distributions' versions (third-party migrations), so any change to either builds a new one.
`pytest --create-db` ignores the template and refreshes it. PostgreSQL always migrates.
"""

import hashlib
import os
import shutil
import sqlite3
import time
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection

STALE_AFTER = 7 * 24 * 3600  # templates unused for a week are removed


def _test_database() -> Path | None:
    if connection.vendor != "sqlite":
        return None
    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    return Path(name) if name else None


def _template() -> Path:
    digest = hashlib.sha256()
    for path in sorted(Path(settings.BASE_DIR).glob("*/migrations/*.py")):
        digest.update(path.relative_to(settings.BASE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(versions).encode())
    digest.update(repr(sorted(settings.INSTALLED_APPS)).encode())
    return Path(settings.BASE_DIR) / "var" / f"test-template-{digest.hexdigest()[:16]}.sqlite3"


def _remove_with_journals(database: Path) -> None:
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)


def restore() -> bool:
    """Copy the template into place as the test database; False when there is none to use."""
    database = _test_database()
    if database is None:
        return False
    template = _template()
    if not template.exists():
        return False
    with sqlite3.connect(template) as check:
        healthy = check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    if not healthy:
        template.unlink(missing_ok=True)
        return False
    _remove_with_journals(database)
    shutil.copyfile(template, database)
    template.touch()
    return True


def save() -> None:
    """Keep the freshly migrated test database as the template (atomically: workers race)."""
    database = _test_database()
    if database is None:
        return
    template = _template()
    partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
    connection.ensure_connection()
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, template)
    for old in template.parent.glob("test-template-*.sqlite3"):
        if old != template and time.time() - old.stat().st_mtime > STALE_AFTER:
            old.unlink(missing_ok=True)
