"""`manage.py restore ARCHIVE`: rebuild an empty instance from a `backup` archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore_backup, summary_counts


class Command(BaseCommand):
    help = (
        "Restore the database and MEDIA_ROOT from an archive made by `backup`. Every checksum is "
        "verified first; an instance that already has data is refused unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite a database that already has data and files already in MEDIA_ROOT.",
        )

    def handle(self, *args, archive: Path, force: bool = False, **options):
        try:
            result = restore_backup(archive, force=force, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} (made {manifest['created_at']} by version "
                f"{manifest['versions']['app']}): {len(result.row_counts)} tables, "
                f"row counts equal to the manifest; {result.media_files} media files."
            )
        )
        counts = summary_counts(result.row_counts)
        self.stdout.write("  " + ", ".join(f"{name}: {n}" for name, n in counts.items()))
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"  {len(result.pending_migrations)} migrations of this code are not applied: "
                    "run `python manage.py migrate`."
                )
            )
        self.stdout.write(
            "  If the site uses Redis (REDIS_URL), clear its cache so no page from before the "
            "restore is served."
        )
