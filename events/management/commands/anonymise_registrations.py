"""The daily purge of personal data: registrations a fixed number of days after their date,
and mediation situations a set time after closing (residences.situations.retention)."""

from django.core.management.base import BaseCommand

from events.registrations.privacy import anonymise_past
from residences.situations.retention import erase_expired


class Command(BaseCommand):
    help = (
        "Efface prénoms et coordonnées des inscriptions passées (délai : "
        "REGISTRATION_RETENTION_DAYS) et les données personnelles des situations de médiation "
        "clôturées (délai : SITUATION_RETENTION_MONTHS)."
    )

    def handle(self, *args, **options):
        count = anonymise_past()
        self.stdout.write(f"{count} inscription(s) anonymisée(s).")
        situations, requests = erase_expired()
        self.stdout.write(f"{situations} situation(s) et {requests} demande(s) effacée(s).")
