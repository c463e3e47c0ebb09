"""Personal data of registrations: erased a fixed number of days after the date, or on request."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.models import ManageLink, Registration

ERASED_NAME = "Anonyme"


@transaction.atomic
def anonymise(registration_ids) -> int:
    """Keep head counts and attendance for the reports; erase who and how to reach them."""
    ManageLink.objects.filter(registration_id__in=registration_ids).delete()
    return Registration.objects.filter(pk__in=registration_ids, anonymised_at__isnull=True).update(
        first_name=ERASED_NAME,
        email="",
        phone="",
        contact_key="",
        allergies="",
        mobility="",
        building=None,
        anonymised_at=timezone.now(),
    )


def anonymise_past(now=None) -> int:
    now = now or timezone.now()
    limit = now - timedelta(days=settings.REGISTRATION_RETENTION_DAYS)
    ids = list(
        Registration.objects.filter(
            anonymised_at__isnull=True, occurrence__end__lt=limit
        ).values_list("pk", flat=True)
    )
    return anonymise(ids)
