"""Erase the personal details of situations past their retention period (also run by the
daily `anonymise_registrations`)."""

from django.core.management.base import BaseCommand

from residences.situations.retention import erase_expired


class Command(BaseCommand):
    help = (
        "Efface les données personnelles des situations clôturées depuis plus de "
        "SITUATION_RETENTION_MONTHS mois (et des demandes non suivies aussi anciennes)."
    )

    def handle(self, *args, **options):
        situations, requests = erase_expired()
        self.stdout.write(f"{situations} situation(s) et {requests} demande(s) effacée(s).")
