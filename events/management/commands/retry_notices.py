"""Queue again the notices whose retry time has come (run every few minutes by cron)."""

from django.core.management.base import BaseCommand

from events.registrations.notices import retry_due


class Command(BaseCommand):
    help = "Renvoie les messages dont l'envoi a échoué et dont l'heure de nouvelle tentative est venue."

    def handle(self, *args, **options):
        self.stdout.write(f"{retry_due()} message(s) remis en file d'envoi.")
