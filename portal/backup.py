"""Backups: one archive (database, media files, manifest) and its restore into an empty instance.

The archive is a gzipped tar holding `database/db.sqlite3` (SQLite online backup API) or
`database/db.pgdump` (`pg_dump --format=custom`), `media/…` (every file under MEDIA_ROOT) and
`manifest.json` (versions, applied migrations, row counts per table, a SHA-256 per member). Row
counts and migrations are read from the dump itself (or from pg_dump's own snapshot), so they
describe exactly what the archive holds even while the site keeps writing.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

import wagtail
from wagtail.models import Page

FORMAT = "trait-d-union-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DB_MEMBERS = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 20 * 1024 * 1024

# Models named in summaries (every installed model is counted and checked).
SUMMARY_MODELS = {
    "pages": "wagtailcore.page",
    "occurrences": "events.occurrence",
    "seat counters": "events.seatcounter",
    "registrations": "events.registration",
    "images": "wagtailimages.image",
    "documents": "wagtaildocs.document",
}


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: dict


@dataclass
class RestoreResult:
    manifest: dict
    media_files: int
    row_counts: dict[str, int]
    pending_migrations: list[str] = field(default_factory=list)


# --- shared helpers -------------------------------------------------------------------------


def engine() -> str:
    """ "sqlite" or "postgresql": the configured default database."""
    vendor = connection.vendor
    if vendor not in DB_MEMBERS:
        raise BackupError(f"Unsupported database engine: {vendor}.")
    return vendor


def summary_counts(row_counts: dict[str, int]) -> dict[str, int]:
    labels = {"users": get_user_model()._meta.label_lower, **SUMMARY_MODELS}
    return {name: row_counts.get(label, 0) for name, label in labels.items()}


def _tables() -> dict[str, str]:
    """Every concrete table of the installed models (m2m tables too), by model label."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables[meta.label_lower] = meta.db_table
    return tables


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _scalar(cursor, sql: str, params: Iterable = ()) -> int:
    cursor.execute(sql, tuple(params))
    return cursor.fetchone()[0]


def _row_counts(cursor, existing: set[str]) -> dict[str, int]:
    return {
        label: _scalar(cursor, f"SELECT COUNT(*) FROM {_quote(table)}")
        for label, table in sorted(_tables().items())
        if table in existing
    }


def _applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _sqlite_tables(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in cursor.fetchall()}


def _postgres_tables(cursor) -> set[str]:
    cursor.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = ANY(current_schemas(false))"
    )
    return {row[0] for row in cursor.fetchall()}


class _HashingReader:
    """Hashes exactly the bytes tarfile copies into the archive."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore: the password never appears on a command line."""
    env = os.environ.copy()
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> str:
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupError(
            f"`{command[0]}` was not found on the PATH; install the PostgreSQL client."
        )
    completed = subprocess.run(
        [binary, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed: {completed.stderr.strip()[-2000:]}")
    return completed.stdout


# --- backup ---------------------------------------------------------------------------------


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"trait-d-union-{stamp}.tar.gz"


def _dump_sqlite(target: Path) -> dict:
    """Copy the live database with the online backup API (consistent, safe under WAL)."""
    name = Path(connection.settings_dict["NAME"])
    if not name.is_file():
        raise BackupError(f"The SQLite database {name} does not exist.")
    source = sqlite3.connect(str(name), timeout=30)
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
        # A self-contained file: no -wal beside it; the site turns WAL back on when it connects.
        dest.execute("PRAGMA journal_mode=DELETE")
        cursor = dest.cursor()
        check = cursor.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"The database copy failed its integrity check: {check}")
        tables = _sqlite_tables(cursor)
        return {
            "server_version": sqlite3.sqlite_version,
            "row_counts": _row_counts(cursor, tables),
            "migrations": _applied_migrations(cursor),
        }
    finally:
        dest.close()
        source.close()


def _dump_postgres(target: Path) -> dict:
    """pg_dump reads the snapshot in which rows and migrations were counted."""
    params = connection.get_connection_params()
    snapshot_connection = connection.Database.connect(**params)
    try:
        snapshot_connection.isolation_level = connection.Database.IsolationLevel.REPEATABLE_READ
        snapshot_connection.read_only = True
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            tables = _postgres_tables(cursor)
            info = {
                "server_version": server_version,
                "row_counts": _row_counts(cursor, tables),
                "migrations": _applied_migrations(cursor),
            }
            env = _pg_env(connection.settings_dict)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                env,
            )
            info["pg_dump"] = _run(["pg_dump", "--version"], env).strip()
        snapshot_connection.rollback()
        return info
    finally:
        snapshot_connection.close()


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under MEDIA_ROOT with their archive names; symlinks are not followed."""
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            yield path, f"{MEDIA_DIR}/{relative}"


def _add_file(tar: tarfile.TarFile, path: Path, name: str, mode: int | None = None) -> dict:
    stat = path.stat()
    info = tarfile.TarInfo(name)
    info.size = stat.st_size
    info.mtime = int(stat.st_mtime)
    info.mode = mode if mode is not None else stat.st_mode & 0o777
    with path.open("rb") as stream:
        reader = _HashingReader(stream)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": stat.st_size}


def _versions() -> dict[str, str]:
    try:
        app_version = metadata.version("trait-d-union")
    except metadata.PackageNotFoundError:
        app_version = "unknown"
    return {
        "app": app_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
    }


def _manifest(vendor: str, created_at: str, info: dict, members: dict[str, dict]) -> dict:
    db_member = DB_MEMBERS[vendor]
    database = {
        "engine": vendor,
        "server_version": info["server_version"],
        "member": db_member,
        "format": "sqlite3" if vendor == "sqlite" else "pg_dump-custom",
        "sha256": members[db_member]["sha256"],
        "size": members[db_member]["size"],
    }
    if "pg_dump" in info:
        database["pg_dump"] = info["pg_dump"]
    media = [entry for name, entry in members.items() if name.startswith(f"{MEDIA_DIR}/")]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at,
        "versions": _versions(),
        "database": database,
        "migrations": info["migrations"],
        "row_counts": info["row_counts"],
        "media": {"files": len(media), "bytes": sum(entry["size"] for entry in media)},
        "members": members,
    }


def create_backup(output: Path | None = None) -> BackupResult:
    """Write one archive atomically (temporary file, then rename), readable by its owner only."""
    vendor = engine()
    output = Path(output) if output else default_backup_path()
    if output.is_dir():
        output = output / default_backup_path().name
    if output.exists():
        raise BackupError(f"{output} already exists; choose another --output.")
    media_root = Path(settings.MEDIA_ROOT)
    if output.resolve().is_relative_to(media_root.resolve()):
        # MEDIA_ROOT is served publicly at /media/: an archive there would be downloadable.
        raise BackupError("The archive must not be written inside MEDIA_ROOT (served publicly).")
    if not output.parent.exists():
        output.parent.mkdir(parents=True, mode=0o700)
    db_member = DB_MEMBERS[vendor]
    created_at = datetime.now(UTC).isoformat(timespec="seconds")

    fd, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    temp = Path(temp_name)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            tempfile.TemporaryDirectory(prefix=".backup-", dir=output.parent) as staging,
        ):
            dump = Path(staging) / Path(db_member).name
            info = _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgres(dump)
            with tarfile.open(
                fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
            ) as tar:
                members = {db_member: _add_file(tar, dump, db_member, mode=0o600)}
                for path, name in _media_files(media_root):
                    members[name] = _add_file(tar, path, name)
                manifest = _manifest(vendor, created_at, info, members)
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                manifest_info = tarfile.TarInfo(MANIFEST)
                manifest_info.size, manifest_info.mode = len(data), 0o600
                manifest_info.mtime = int(datetime.now(UTC).timestamp())
                tar.addfile(manifest_info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, output)
        _fsync_dir(output.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return BackupResult(path=output, size=output.stat().st_size, manifest=manifest)


# --- restore --------------------------------------------------------------------------------


def _safe_member_name(name: str) -> str:
    """Refuse anything that could land outside the staging folder or MEDIA_ROOT."""
    if not name or "\x00" in name or name.startswith("/"):
        raise BackupError(f"Refused archive member {name!r}: absolute or invalid path.")
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise BackupError(f"Refused archive member {name!r}: '..' or empty path segment.")
    if name == MANIFEST or name in DB_MEMBERS.values():
        return name
    if parts[0] == MEDIA_DIR and len(parts) > 1:
        return name
    raise BackupError(f"Refused archive member {name!r}: not part of a Trait d'union backup.")


def _read_archive(archive: Path, staging: Path) -> tuple[dict, dict[str, dict]]:
    """Extract regular files into `staging`, hashing the bytes written; return the manifest."""
    manifest_bytes = None
    seen: dict[str, dict] = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = _safe_member_name(member.name)
                if member.isdir() and name.split("/")[0] in (MEDIA_DIR, "database"):
                    continue
                if not member.isfile():
                    raise BackupError(
                        f"Refused archive member {name!r}: links and special files are not allowed."
                    )
                if name in seen or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"Refused archive: {name!r} appears twice.")
                stream = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError("Refused archive: the manifest is implausibly large.")
                    manifest_bytes = stream.read()
                    continue
                target = staging.joinpath(*name.split("/"))
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with target.open("xb") as out:
                    while chunk := stream.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[name] = {"sha256": digest.hexdigest(), "size": size}
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(f"{archive} is not a readable backup archive ({error}).") from error
    if manifest_bytes is None:
        raise BackupError(f"{archive} has no {MANIFEST}: not a Trait d'union backup.")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise BackupError(f"The manifest of {archive} is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a Trait d'union backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Unsupported backup format version {manifest.get('format_version')!r} "
            f"(this portal reads version {FORMAT_VERSION})."
        )
    shapes = {"database": dict, "members": dict, "row_counts": dict, "migrations": dict}
    shapes |= {"versions": dict, "created_at": str}
    broken = [key for key, kind in shapes.items() if not isinstance(manifest.get(key), kind)]
    if broken:
        raise BackupError(f"The manifest of {archive} lacks {', '.join(broken)}.")
    return manifest, seen


def _verify(manifest: dict, seen: dict[str, dict]) -> None:
    """Every member listed with its checksum, nothing missing, nothing extra."""
    listed = manifest.get("members") or {}
    database = manifest.get("database") or {}
    problems = []
    for name in sorted(set(listed) | set(seen)):
        if name in listed and not isinstance(listed[name], dict):
            problems.append(f"{name}: malformed manifest entry")
        elif name not in seen:
            problems.append(f"{name}: listed in the manifest but missing from the archive")
        elif name not in listed:
            problems.append(f"{name}: in the archive but not listed in the manifest")
        elif listed[name].get("sha256") != seen[name]["sha256"]:
            problems.append(f"{name}: checksum mismatch")
        elif listed[name].get("size") != seen[name]["size"]:
            problems.append(f"{name}: size mismatch")
    db_member = database.get("member")
    if (
        not isinstance(db_member, str)
        or db_member not in seen
        or database.get("sha256") != seen[db_member]["sha256"]
    ):
        problems.append("the database dump does not match the manifest's checksum")
    if problems:
        raise BackupError(
            "The archive is corrupt or has been modified; nothing was restored.\n  - "
            + "\n  - ".join(problems[:20])
        )


def _check_engine(manifest: dict) -> str:
    vendor = engine()
    archived = manifest["database"].get("engine")
    if archived != vendor or manifest["database"].get("member") != DB_MEMBERS[vendor]:
        raise BackupError(
            f"This archive holds a {archived} database but this instance uses {vendor}; "
            f"restore it on a {archived} instance (nothing was changed)."
        )
    return vendor


def _check_migrations(manifest: dict) -> None:
    """An archive from a newer portal needs that newer code, not this one."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    archived = manifest.get("migrations") or {}
    unknown = [
        f"{app}.{name}"
        for app, names in archived.items()
        for name in names
        if app in installed and (app, name) not in known
    ]
    missing_apps = sorted(set(archived) - installed)
    if unknown or missing_apps:
        detail = ", ".join(unknown[:10] + [f"app {app}" for app in missing_apps])
        raise BackupError(
            "This archive comes from a newer or different version of the portal "
            f"({manifest['versions'].get('app')}; unknown here: {detail}). "
            "Install that version first, or use --force."
        )


def _sqlite_has_data(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    # Read-only: checking must not create or change anything.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _has_data(conn.cursor(), _sqlite_tables(conn.cursor()))
    finally:
        conn.close()


def _has_data(cursor, tables: set[str]) -> bool:
    """More than a freshly migrated database: content, people or files."""
    page_table = Page._meta.db_table
    if page_table in tables and _scalar(
        cursor, f"SELECT COUNT(*) FROM {_quote(page_table)} WHERE depth > 2"
    ):
        return True
    labels = {get_user_model()._meta.label_lower, *SUMMARY_MODELS.values()} - {"wagtailcore.page"}
    all_tables = _tables()
    return any(
        all_tables[label] in tables
        and _scalar(cursor, f"SELECT COUNT(*) FROM {_quote(all_tables[label])}")
        for label in labels
        if label in all_tables
    )


def database_has_data() -> bool:
    if engine() == "sqlite":
        return _sqlite_has_data(Path(connection.settings_dict["NAME"]))
    try:
        with connection.cursor() as cursor:
            return _has_data(cursor, _postgres_tables(cursor))
    except DatabaseError as error:
        raise BackupError(f"Cannot read the target database: {error}") from error


def _media_is_empty(root: Path) -> bool:
    return not root.exists() or not any(path.is_file() for path in root.rglob("*"))


def _restore_sqlite(dump: Path) -> None:
    name = Path(connection.settings_dict["NAME"])
    connections.close_all()
    name.parent.mkdir(parents=True, exist_ok=True)
    mode = name.stat().st_mode & 0o777 if name.exists() else 0o600
    fd, temp_name = tempfile.mkstemp(prefix=f".{name.name}.", suffix=".restore", dir=name.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out, dump.open("rb") as src:
            shutil.copyfileobj(src, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        # A -wal left by the old file would be replayed into the new one: remove it first.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        os.replace(temp, name)
        _fsync_dir(name.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _restore_postgres(dump: Path) -> None:
    settings_dict = connection.settings_dict
    connections.close_all()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={settings_dict['NAME']}",
            str(dump),
        ],
        _pg_env(settings_dict),
    )


def _restore_media(staged: Path, root: Path) -> int:
    root.mkdir(parents=True, exist_ok=True)
    real_root = root.resolve()
    count = 0
    for source in sorted(staged.rglob("*")):
        if not source.is_file():
            continue
        target = root / source.relative_to(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        # A symlinked folder already in MEDIA_ROOT must not carry files elsewhere.
        if not target.parent.resolve().is_relative_to(real_root):
            raise BackupError(f"Refused to write {target}: it resolves outside MEDIA_ROOT.")
        if target.is_symlink():
            target.unlink()
        try:
            os.replace(source, target)
        except OSError:  # another filesystem: copy beside the target, then rename
            temp = target.with_name(f".{target.name}.restore")
            shutil.copyfile(source, temp)
            os.replace(temp, target)
        count += 1
    return count


def _pending_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def restore_backup(
    archive: Path, *, force: bool = False, log: Callable[[str], None] = lambda _: None
) -> RestoreResult:
    """Rebuild this instance from `archive`; every check runs before anything is changed."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=media_root.parent) as staging_name:
        staging = Path(staging_name)
        manifest, seen = _read_archive(archive, staging)
        _verify(manifest, seen)
        log(f"Checksums verified: {len(seen)} members.")
        vendor = _check_engine(manifest)
        if not force:
            _check_migrations(manifest)
            if database_has_data():
                raise BackupError(
                    "The database already has data (pages, users, registrations or files); "
                    "restore into an empty instance, or use --force to overwrite it."
                )
            if not _media_is_empty(media_root):
                raise BackupError(
                    f"MEDIA_ROOT ({media_root}) already holds files; "
                    "restore into an empty folder, or use --force to overwrite them."
                )
        dump = staging.joinpath(*manifest["database"]["member"].split("/"))
        log(f"Restoring the {vendor} database…")
        if vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgres(dump)
        media_files = _restore_media(staging / MEDIA_DIR, media_root)
        log(f"Restored {media_files} media files into {media_root}.")

    connections.close_all()
    with connection.cursor() as cursor:
        tables = _sqlite_tables(cursor) if vendor == "sqlite" else _postgres_tables(cursor)
        expected = manifest.get("row_counts") or {}
        all_tables = _tables()
        actual = {
            label: _scalar(cursor, f"SELECT COUNT(*) FROM {_quote(all_tables[label])}")
            for label in expected
            if label in all_tables and all_tables[label] in tables
        }
    wrong = [
        f"{label}: expected {count}, found {actual.get(label, 'no table')}"
        for label, count in sorted(expected.items())
        if actual.get(label) != count
    ]
    if wrong:
        raise BackupError(
            "The restored row counts differ from the manifest:\n  - " + "\n  - ".join(wrong)
        )
    return RestoreResult(
        manifest=manifest,
        media_files=media_files,
        row_counts=actual,
        pending_migrations=_pending_migrations(),
    )
