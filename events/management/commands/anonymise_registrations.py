"""Erase the personal data of registrations a fixed number of days after their date (daily)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.registrations.privacy import anonymise_past
from portal.models import RateLimitHit


class Command(BaseCommand):
    help = "Efface prénoms et coordonnées des inscriptions passées (délai : REGISTRATION_RETENTION_DAYS)."

    def handle(self, *args, **options):
        count = anonymise_past()
        RateLimitHit.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
        self.stdout.write(f"{count} inscription(s) anonymisée(s).")
