"""Backups: a real round trip into a fresh database and media folder, and every refusal.

The restore runs in a subprocess (`manage.py restore`) against a target of its own: a new SQLite
file, or a new PostgreSQL database created and dropped here, and a new MEDIA_ROOT. The target is
then read by a second subprocess, so nothing is inferred from this process's connections.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from portal import backup
from portal.sitetree import ensure_home_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.engine]

BASE_DIR = Path(settings.BASE_DIR)


def snapshot() -> dict:
    """What must survive a restore, as JSON-ready data (run here and in the target process)."""
    from django.apps import apps

    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from events.models import Occurrence, Registration, SeatCounter

    data = {
        "pages": list(
            Page.objects.order_by("path").values_list(
                "pk", "path", "title", "slug", "live", "content_type__app_label"
            )
        ),
        "occurrences": list(
            Occurrence.objects.order_by("pk").values_list("pk", "page_id", "start", "status")
        ),
        "seat_counters": list(
            SeatCounter.objects.order_by("pk").values_list("pk", "capacity", "seats_taken")
        ),
        "registrations": list(
            Registration.objects.order_by("pk").values_list(
                "pk", "occurrence_id", "status", "first_name", "email", "phone", "seats"
            )
        ),
        "images": list(get_image_model().objects.order_by("pk").values_list("pk", "title", "file")),
        "documents": list(
            get_document_model().objects.order_by("pk").values_list("pk", "title", "file")
        ),
        "counts": {
            model._meta.label_lower: model._base_manager.count()
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        },
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def media_checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@dataclass
class Target:
    """A fresh instance: its own database and MEDIA_ROOT, driven through manage.py."""

    env: dict[str, str]
    media: Path
    sqlite_path: Path | None = None
    pg_params: dict | None = None

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def snapshot(self) -> dict:
        code = (
            "import json, django; django.setup(); "
            "from tests.portal.test_backup import snapshot; print(json.dumps(snapshot()))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def is_untouched(self) -> bool:
        media_empty = not self.media.exists() or not any(self.media.iterdir())
        if self.sqlite_path is not None:
            return media_empty and not self.sqlite_path.exists()
        import psycopg

        with psycopg.connect(**self.pg_params) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()[0]
        return media_empty and tables == 0


@pytest.fixture
def source_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "source-media"
    return settings.MEDIA_ROOT


@pytest.fixture
def target(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "MEDIA_ROOT"}
    }
    # The development settings read SQLITE_PATH, DATABASE_URL and MEDIA_ROOT as production does.
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        MEDIA_ROOT=str(tmp_path / "target-media"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(BASE_DIR),
    )
    if connection.vendor == "sqlite":
        sqlite_path = tmp_path / "target.sqlite3"
        env["SQLITE_PATH"] = str(sqlite_path)
        yield Target(env=env, media=tmp_path / "target-media", sqlite_path=sqlite_path)
        return

    import psycopg

    source = connection.settings_dict
    name = f"{source['NAME']}_target"  # test_<name>_backup_target: private to this suite
    admin = {
        key: value
        for key, value in {
            "user": source["USER"],
            "password": source["PASSWORD"],
            "host": source["HOST"],
            "port": source["PORT"],
        }.items()
        if value
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(source["USER"] or "postgres")
    if source["PASSWORD"]:
        credentials += ":" + quote(source["PASSWORD"])
    env["DATABASE_URL"] = (
        f"postgres://{credentials}@{source['HOST'] or 'localhost'}:{source['PORT'] or 5432}/{name}"
    )
    yield Target(env=env, media=tmp_path / "target-media", pg_params={"dbname": name, **admin})
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def add_image(title: str = "Façade Nord", filename: str = "façade-nord.png"):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    return get_image_model().objects.create(
        title=title, file=get_test_image_file(filename=filename, colour="red", size=(40, 30))
    )


def run_backup(output: Path) -> Path:
    call_command("backup", output=output, stdout=io.StringIO())
    return output


@pytest.fixture
def archive(source_media, tmp_path):
    """A small but complete archive: the home page, an image and its file."""
    ensure_home_page()
    add_image()
    return run_backup(tmp_path / "backups" / "small.tar.gz")


def read_archive(path: Path) -> tuple[dict[str, bytes], dict]:
    with tarfile.open(path, "r:gz") as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    return files, json.loads(files.pop(backup.MANIFEST))


def write_archive(path: Path, files: dict[str, bytes], manifest: dict, extra: tuple = ()) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info, data in extra:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo(backup.MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_round_trip_into_a_fresh_database_and_media_folder(source_media, target, tmp_path):
    from wagtail.documents import get_document_model

    from events.models import Occurrence, Registration
    from events.registrations.services import Party, register

    call_command("seed_demo", verbosity=0)
    occurrence = Occurrence.objects.filter(page__slug="gouter-des-voisins").order_by("start")[0]
    tenant = register(
        occurrence,
        Party(first_name="Inès", adults=2, children=1, email="ines@example.fr"),
        enforce_window=False,
    )
    image = add_image()
    get_document_model().objects.create(
        title="Règlement intérieur", file=ContentFile(b"%PDF-1.4 demo\n", name="reglement.pdf")
    )
    source_files = media_checksums(source_media)
    assert image.file.name in source_files and len(source_files) == 2

    archive = run_backup(tmp_path / "backups" / "round-trip.tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600
    files, manifest = read_archive(archive)
    before = snapshot()
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["row_counts"] == {
        label: count for label, count in before["counts"].items() if label in manifest["row_counts"]
    }
    assert manifest["row_counts"]["events.registration"] == Registration.objects.count() >= 8
    assert manifest["migrations"]["events"] and manifest["versions"]["app"]
    assert {name.removeprefix("media/") for name in files if name.startswith("media/")} == set(
        source_files
    )
    assert all(
        hashlib.sha256(data).hexdigest() == manifest["members"][name]["sha256"]
        for name, data in files.items()
    )
    assert not [p for p in archive.parent.iterdir() if p != archive], "temporary files left"

    result = target.manage("restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "row counts equal to the manifest" in result.stdout

    after = target.snapshot()
    for key in ("pages", "occurrences", "seat_counters", "registrations", "images", "documents"):
        assert after[key] == before[key], key
    assert after["counts"] == before["counts"]
    assert tenant.pk in {row[0] for row in after["registrations"]}
    assert image.pk in {row[0] for row in after["images"]}
    assert media_checksums(target.media) == source_files


@pytest.mark.parametrize("member", ["database", "media"])
def test_tampered_archive_is_refused_and_nothing_changes(archive, target, tmp_path, member):
    files, manifest = read_archive(archive)
    name = next(n for n in files if n.startswith(f"{member}/"))
    files[name] = files[name][:-1] + bytes([files[name][-1] ^ 1])  # one flipped bit
    tampered = write_archive(tmp_path / "tampered.tar.gz", files, manifest)

    result = target.manage("restore", str(tampered))
    assert result.returncode == 1
    assert "corrupt or has been modified" in result.stderr
    assert f"{name}: checksum mismatch" in result.stderr
    assert target.is_untouched()


def test_truncated_archive_is_refused(archive, target, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:-200])
    result = target.manage("restore", str(truncated))
    assert result.returncode == 1 and "not a readable backup archive" in result.stderr
    assert target.is_untouched()


@pytest.mark.parametrize(
    "name, kind",
    [
        ("media/../../evil.txt", tarfile.REGTYPE),
        ("/tmp/evil.txt", tarfile.REGTYPE),
        ("media/original_images/link.png", tarfile.SYMTYPE),
    ],
)
def test_member_outside_media_or_a_link_is_refused(archive, target, tmp_path, name, kind):
    files, manifest = read_archive(archive)
    payload = b"not yours"
    info = tarfile.TarInfo(name)
    info.type = kind
    if kind == tarfile.SYMTYPE:
        info.linkname, payload = "/etc/passwd", None
    else:
        info.size = len(payload)
        # Listed with its true checksum: the path itself must be the reason for the refusal.
        manifest["members"][name] = {
            "sha256": hashlib.sha256(payload).hexdigest(),
            "size": len(payload),
        }
    hostile = write_archive(tmp_path / "hostile.tar.gz", files, manifest, [(info, payload)])

    result = target.manage("restore", str(hostile))
    assert result.returncode == 1
    assert f"Refused archive member {name!r}" in result.stderr
    assert target.is_untouched()
    assert not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/evil.txt").exists()


def test_restore_over_existing_data_is_refused_without_force(archive, source_media):
    from wagtail.images import get_image_model

    before = snapshot()
    files_before = media_checksums(source_media)
    with pytest.raises(CommandError, match="already has data"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert snapshot() == before
    assert media_checksums(source_media) == files_before
    assert get_image_model().objects.count() == 1


def test_archive_from_another_engine_is_refused(archive, tmp_path):
    files, manifest = read_archive(archive)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest["database"]["engine"] = other
    foreign = write_archive(tmp_path / "foreign.tar.gz", files, manifest)
    before = snapshot()
    with pytest.raises(CommandError, match=f"holds a {other} database but this instance uses"):
        call_command("restore", str(foreign), "--force", stdout=io.StringIO())
    assert snapshot() == before


def test_failed_backup_leaves_no_archive(source_media, tmp_path, monkeypatch):
    ensure_home_page()
    add_image()
    vanished = source_media / "original_images" / "vanished.png"
    real_media_files = backup._media_files

    def media_with_a_vanished_file(root):
        yield from real_media_files(root)
        yield vanished, "media/original_images/vanished.png"

    monkeypatch.setattr(backup, "_media_files", media_with_a_vanished_file)
    output = tmp_path / "backups" / "broken.tar.gz"
    with pytest.raises(FileNotFoundError):
        call_command("backup", output=output, stdout=io.StringIO())
    assert list(output.parent.iterdir()) == []


def test_archive_is_never_written_inside_the_public_media_folder(source_media):
    ensure_home_page()
    with pytest.raises(CommandError, match="inside MEDIA_ROOT"):
        call_command("backup", output=source_media / "b.tar.gz", stdout=io.StringIO())
    assert not (source_media / "b.tar.gz").exists()
