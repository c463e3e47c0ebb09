"""E-mails to people who signed up, sent as tasks that take ids (never names or addresses)."""

import logging

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from events.calendar import ical
from events.calendar.feeds import export_for
from events.calendar.formatting import former_time, when
from events.models import ManageLink, Registration, SeriesVersion

logger = logging.getLogger(__name__)

WITH_CALENDAR = {
    "registration_confirmed",
    "registration_promoted",
    "occurrence_moved",
    "occurrence_restored",
}


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task()
def send_registration_mail(registration_id: int, template: str) -> None:
    """One e-mail about one registration, with a fresh private link to manage it."""
    registration = (
        Registration.objects.select_related("occurrence", "occurrence__page")
        .filter(pk=registration_id, anonymised_at__isnull=True)
        .first()
    )
    if registration is None or not registration.email:
        return
    occurrence = registration.occurrence
    page = occurrence.page.specific
    token = ManageLink.issue(registration)
    context = {
        "registration": registration,
        "occurrence": occurrence,
        "page": page,
        "when": when(occurrence),
        "former": former_time(occurrence),
        "manage_url": absolute(reverse("events:manage", args=(token,))),
        # A withdrawn page answers 404: point to the portal's home instead.
        "page_url": absolute(page.url or "/") if page.live else "",
        "home_url": absolute("/"),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    subject = " ".join(render_to_string(f"email/{template}/subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{template}/body.txt", context),
        to=[registration.email],
    )
    message.attach_alternative(
        render_to_string(f"email/{template}/body.html", context), "text/html"
    )
    if template in WITH_CALENDAR:
        version = SeriesVersion.objects.filter(page_id=page.pk).first()
        item = export_for(page, [occurrence], version, None, base_url=absolute(""))
        message.attach(
            "evenement.ics", ical.build_single(page.title, item, occurrence), "text/calendar"
        )
    message.send()
    logger.info("mail sent registration=%s template=%s", registration_id, template)
