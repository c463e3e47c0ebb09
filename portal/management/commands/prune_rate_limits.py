"""Delete the rate-limit counters of past windows from the database (daily, from cron).

Only the set-up without Redis counts in the database (`portal/throttle.py`); with Redis the
counters expire by themselves and this finds nothing to delete.
"""

from django.core.management.base import BaseCommand

from portal import throttle


class Command(BaseCommand):
    help = "Supprime les compteurs de limitation de débit des fenêtres passées."

    def handle(self, *args, **options):
        count = throttle.prune()
        self.stdout.write(f"{count} compteur(s) supprimé(s).")
