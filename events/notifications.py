"""Which e-mails a booking change sends; the sending itself happens in tasks that take ids."""


def registration_confirmed(registration_id: int) -> None:
    from events.tasks import send_registration_mail

    send_registration_mail.enqueue(registration_id, "registration_confirmed")


def registrations_promoted(registration_ids: list[int]) -> None:
    from events.tasks import send_registration_mail

    for registration_id in registration_ids:
        send_registration_mail.enqueue(registration_id, "registration_promoted")


def occurrences_changed(occurrence_ids: list[int]) -> None:
    """Tell everyone registered that their date was cancelled or moved."""
    from events.models import Occurrence, Registration
    from events.tasks import send_registration_mail

    statuses = dict(Occurrence.objects.filter(pk__in=occurrence_ids).values_list("pk", "status"))
    registrations = Registration.objects.filter(
        occurrence_id__in=occurrence_ids, status__in=Registration.ACTIVE
    ).values_list("pk", "occurrence_id")
    for registration_id, occurrence_id in registrations:
        template = (
            "occurrence_cancelled" if statuses[occurrence_id] == "cancelled" else "occurrence_moved"
        )
        send_registration_mail.enqueue(registration_id, template)
