"""The « À appeler » list: households that no message reaches, for news they must not miss.

A call is a Notice on the CALL channel. It stays on the list until someone records that the
household was told (« Prévenu·e »: who, when); an unanswered call is counted and stays. A call
about a date that changed again since is no longer listed: the newer change has its own.
"""

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from events.calendar.admin_formatting import admin_when
from events.models import EventPage, Notice, Registration
from events.outreach.scope import occurrences_for
from events.registrations.tasks import ABOUT_THE_DATE
from events.registrations.texts import call_script
from portal.validators import as_id


def pending_calls() -> QuerySet[Notice]:
    """Calls still to make, anywhere: the registration active, the news still true."""
    current = ~Q(kind__in=ABOUT_THE_DATE) | Q(date_version=F("registration__occurrence__version"))
    return Notice.objects.filter(
        channel=Notice.Channel.CALL,
        status=Notice.Status.PENDING,
        registration__status__in=Registration.ACTIVE,
        registration__anonymised_at__isnull=True,
    ).filter(current)


def waiting_calls(user: User | AnonymousUser) -> QuerySet[Notice]:
    """Calls still to make in the user's scopes, soonest date first."""
    return (
        pending_calls()
        .filter(registration__occurrence__in=occurrences_for(user))
        .select_related("registration__occurrence__page", "message")
        .order_by("registration__occurrence__start", "created_at", "pk")
    )


def with_event_pages(calls: list[Notice]) -> list[Notice]:
    """The calls with their events read in one query (title, place), not one per row."""
    ids = {notice.registration.occurrence.page_id for notice in calls}
    pages = (
        EventPage.objects.filter(pk__in=ids)
        .select_related("venue_residence", "venue_partner")
        .in_bulk()
    )
    for notice in calls:
        occurrence = notice.registration.occurrence
        if occurrence.page_id in pages:
            occurrence.page = pages[occurrence.page_id]
    return calls


def call_list(request: HttpRequest) -> TemplateResponse:
    calls = with_event_pages(list(waiting_calls(request.user)))
    rows = [
        {
            "notice": notice,
            "registration": notice.registration,
            "number": notice.registration.phone_number,
            "when": admin_when(notice.registration.occurrence),
            "script": call_script(notice.registration, notice.kind, notice.message),
        }
        for notice in calls
    ]
    return TemplateResponse(request, "wagtailadmin_custom/call_list.html", {"rows": rows})


@require_POST
def record_call(request: HttpRequest, notice_id: int) -> HttpResponse:
    """« Prévenu·e » (told: who and when) or « Pas de réponse » (counted, stays listed)."""
    notice = waiting_calls(request.user).filter(pk=as_id(notice_id) or 0).first()
    if notice is None:  # outside the user's sectors, already recorded, or superseded
        raise Http404
    name = notice.registration.first_name
    if request.POST.get("outcome") == "prevenu":
        updated = Notice.objects.filter(pk=notice.pk, status=Notice.Status.PENDING).update(
            status=Notice.Status.SENT, sent_at=timezone.now(), called_by=request.user, error=""
        )
        if updated:
            messages.success(request, gettext("%(name)s : prévenu·e, c'est noté.") % {"name": name})
    else:
        Notice.objects.filter(pk=notice.pk).update(
            attempts=F("attempts") + 1, error="pas de réponse"
        )
        messages.warning(
            request,
            gettext("%(name)s : pas de réponse, l'appel reste sur la liste.") % {"name": name},
        )
    return redirect("call_list")
