"""Erase the personal data of registrations a fixed number of days after their date (daily)."""

from django.core.management.base import BaseCommand

from events.registrations.privacy import anonymise_past


class Command(BaseCommand):
    help = "Efface prénoms et coordonnées des inscriptions passées (délai : REGISTRATION_RETENTION_DAYS)."

    def handle(self, *args, **options):
        count = anonymise_past()
        self.stdout.write(f"{count} inscription(s) anonymisée(s).")
