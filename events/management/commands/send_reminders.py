"""E-mail a reminder to everyone registered for tomorrow (run daily, e.g. at 10:00)."""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.calendar.schedule import PARIS, Status
from events.models import Registration
from events.registrations.tasks import send_registration_mail


class Command(BaseCommand):
    help = "Envoie un rappel aux personnes inscrites pour demain."

    def handle(self, *args, **options):
        tomorrow = timezone.localdate() + timedelta(days=1)
        start = datetime.combine(tomorrow, time(0), tzinfo=PARIS)
        ids = list(
            Registration.objects.filter(
                status=Registration.Status.CONFIRMED,
                occurrence__status__in=[Status.SCHEDULED, Status.MOVED],
                occurrence__start__gte=start,
                occurrence__start__lt=start + timedelta(days=1),
                anonymised_at__isnull=True,
            )
            .exclude(email="")
            .values_list("pk", flat=True)
        )
        for registration_id in ids:
            send_registration_mail.enqueue(registration_id, "reminder")
        self.stdout.write(f"{len(ids)} rappel(s) envoyé(s).")
