"""Telling a sector's team that a tenant asked for help: an e-mail to those who opted in.

The task takes the request's id, never its content; the e-mail names the reference, the
residence and the link to the admin, never the message or the tenant's contact (the request is
confidential, e-mail is not), and is written in each recipient's admin language. Failures are logged by class name and the task never raises, so
no task result keeps a traceback that could name a recipient.
"""

import logging

from django_tasks import task

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from residences.models import SectorTeam
from residences.situations.models import HelpRequest

logger = logging.getLogger(__name__)
TEMPLATES = "residences/situations/email/help_request"


def recipients(help_request: HelpRequest) -> dict[str, list[str]]:
    """The addresses of the sector's team members who asked for these e-mails, by the admin
    language each chose (French when they chose none)."""
    team = SectorTeam.objects.filter(sector_id=help_request.sector_id).first()
    if team is None:
        return {}
    groups = [pk for pk in (team.mediators_id, team.managers_id) if pk is not None]
    users = (
        get_user_model()
        .objects.filter(
            Q(groups__in=groups),
            is_active=True,
            situation_notices__email_on_request=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    by_language: dict[str, list[str]] = {}
    for address, language in users.values_list("email", "wagtail_userprofile__preferred_language"):
        by_language.setdefault(language or settings.LANGUAGE_CODE, []).append(address)
    return by_language


@task()
def tell_the_team(help_request_id: int) -> int:
    """Send the notice; returns how many people it went to (a count, nothing personal)."""
    help_request = (
        HelpRequest.objects.select_related("residence", "building")
        .filter(pk=help_request_id)
        .first()
    )
    if help_request is None or help_request.erased_at is not None:
        return 0
    by_language = recipients(help_request)
    if not by_language:
        return 0
    context = {
        "help_request": help_request,
        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("situations_request", args=(help_request.pk,)),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    told = 0
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            email = notice(context, addresses)
        try:
            email.send()
        except Exception as error:  # noqa: BLE001 - logged by class, never raised
            logger.warning(
                "help request notice failed id=%s error=%s", help_request_id, type(error).__name__
            )
            continue
        told += len(addresses)
    logger.info("help request notice id=%s recipients=%s", help_request_id, told)
    return told


def notice(context: dict, addresses: list[str]) -> EmailMultiAlternatives:
    """One e-mail in the active language, to these addresses in Bcc."""
    subject = " ".join(render_to_string(f"{TEMPLATES}/subject.txt", context).split())
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{TEMPLATES}/body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[settings.DEFAULT_FROM_EMAIL],
        bcc=addresses,  # team members do not see each other's addresses
    )
    email.attach_alternative(render_to_string(f"{TEMPLATES}/body.html", context), "text/html")
    return email
