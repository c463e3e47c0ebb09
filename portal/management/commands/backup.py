"""`manage.py backup`: one archive with the database, the media files and a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, create_backup, summary_counts


class Command(BaseCommand):
    help = (
        "Write one archive (database, MEDIA_ROOT, manifest.json with checksums) to "
        "var/backups/trait-d-union-YYYYMMDD-HHMMSS.tar.gz, or to --output. It holds personal "
        "data: it is created readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive path, or an existing folder to write the default file name into.",
        )

    def handle(self, *args, output: Path | None = None, **options):
        try:
            result = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        counts = summary_counts(manifest["row_counts"])
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {result.path} ({result.size:,} bytes, mode 0600)")
        )
        self.stdout.write(
            f"  database: {manifest['database']['engine']}, "
            f"{len(manifest['row_counts'])} tables, "
            f"sha256 {manifest['database']['sha256'][:16]}…"
        )
        self.stdout.write(
            f"  media: {manifest['media']['files']} files, {manifest['media']['bytes']:,} bytes"
        )
        self.stdout.write("  " + ", ".join(f"{name}: {n}" for name, n in counts.items()))
