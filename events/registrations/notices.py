"""Which e-mails a booking change sends; the sending itself happens in tasks that take ids."""

from events.models import Registration
from events.registrations.tasks import send_registration_mail


def registration_confirmed(registration_id: int) -> None:
    send_registration_mail.enqueue(registration_id, "registration_confirmed")


def registrations_promoted(registration_ids: list[int]) -> None:
    for registration_id in registration_ids:
        send_registration_mail.enqueue(registration_id, "registration_promoted")


def dates_changed(changes: dict[int, str]) -> None:
    """Tell everyone registered that their date moved, was cancelled or takes place again.

    `changes` maps an occurrence id to the notice template that describes what happened.
    """
    registrations = Registration.objects.filter(
        occurrence_id__in=list(changes), status__in=Registration.ACTIVE
    ).values_list("pk", "occurrence_id")
    for registration_id, occurrence_id in registrations:
        send_registration_mail.enqueue(registration_id, changes[occurrence_id])
