"""Move the rolling horizon of every live series forward (run daily from cron)."""

from django.core.management.base import BaseCommand

from events.calendar.occurrences import extend_all


class Command(BaseCommand):
    help = "Met à jour les dates des séries publiées jusqu'à l'horizon glissant (18 mois)."

    def handle(self, *args, **options):
        count = extend_all()
        self.stdout.write(f"{count} série(s) mise(s) à jour.")
