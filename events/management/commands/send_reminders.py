"""Remind everyone registered for tomorrow, by e-mail and SMS (run daily, e.g. at 10:00).

Each reminder is a Notice made once per registration and version of the date: running the
command twice (cron retried, run by hand) sends nothing more.
"""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.calendar.schedule import PARIS, Status
from events.models import Notice, Registration
from events.registrations.notices import notify


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
            ).values_list("pk", flat=True)
        )
        made = notify(ids, Notice.Kind.REMINDER)
        self.stdout.write(f"{len(made)} rappel(s) à envoyer, {len(ids) - len(made)} déjà prévu(s).")
