"""The mediator's registration tools: who is coming, on-behalf sign-ups, attendance, exports, printables.

Every view asks `access.can_run` (events/registrations/access.py): those who may edit the event
page, and on a landlord-wide or cross-sector event its organisers and the managers of the sectors
it concerns. A mediator only reaches the sectors they cover.
"""

import csv

import segno

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.calendar.schedule import PARIS
from events.models import EventPage, Occurrence, Registration
from events.registrations import services as booking
from events.registrations.access import can_run
from events.registrations.forms import MAX_PEOPLE, clean_sms_choice, clean_text
from portal.phones import PhoneField
from portal.validators import as_id


def editable_event(request, page_id: int) -> EventPage:
    """The event, if the user may run its registrations (else 403; 404 when there is none)."""
    page = get_object_or_404(EventPage, pk=page_id)
    if not can_run(request.user, page):
        raise PermissionDenied
    return page


def editable_occurrence(request, occurrence_id: int) -> tuple[Occurrence, EventPage]:
    occurrence = get_object_or_404(Occurrence.objects.events(), pk=occurrence_id)
    return occurrence, editable_event(request, occurrence.page_id)


def event_registrations(request, page_id: int):
    """Every upcoming and past date of an event with its head counts."""
    page = editable_event(request, page_id)
    occurrences = (
        Occurrence.objects.filter(page=page)
        .select_related("seats")
        .annotate(
            confirmed=Sum(
                "registrations__seats",
                filter=Q(registrations__status=Registration.Status.CONFIRMED),
            ),
            waiting=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
            ),
        )
        .order_by("start")
    )
    return TemplateResponse(
        request,
        "wagtailadmin_custom/event_registrations.html",
        {"page": page, "occurrences": occurrences},
    )


class OnBehalfForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom (ou prénom et initiale)"), max_length=60)
    adults = forms.IntegerField(label=_("Adultes"), min_value=0, max_value=MAX_PEOPLE, initial=1)
    children = forms.IntegerField(label=_("Enfants"), min_value=0, max_value=MAX_PEOPLE, initial=0)
    source = forms.ChoiceField(
        label=_("Comment ?"),
        choices=[c for c in Registration.Source.choices if c[0] != Registration.Source.WEB],
    )
    phone = PhoneField(label=_("Téléphone (facultatif)"), required=False)
    sms = forms.BooleanField(
        label=_("La personne accepte de recevoir des SMS sur ce portable"), required=False
    )
    email = forms.EmailField(label=_("E-mail (facultatif)"), required=False)
    beyond_capacity = forms.BooleanField(
        label=_("Inscrire même si c'est complet (au-delà du nombre de places)"),
        required=False,
        help_text=_("Sinon, quand il n'y a plus de place, la personne va sur la liste d'attente."),
    )

    def clean_first_name(self):
        name = clean_text(self.cleaned_data["first_name"])
        if not name:
            raise forms.ValidationError(_("Indiquez un prénom."))
        return name

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("adults") or 0) + (cleaned.get("children") or 0) == 0:
            self.add_error("adults", _("Indiquez au moins une personne."))
        clean_sms_choice(self, cleaned)
        return cleaned


def occurrence_registrations(request, occurrence_id: int):
    occurrence, page = editable_occurrence(request, occurrence_id)
    form = OnBehalfForm(request.POST if request.POST.get("action") == "ajouter" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "ajouter" and form.is_valid():
            data = form.cleaned_data
            party = booking.Party(
                first_name=data["first_name"],
                adults=data["adults"],
                children=data["children"],
                email=data["email"],
                phone=data["phone"],
                sms_consent=data["sms"],
            )
            try:
                registration = booking.register(
                    occurrence,
                    party,
                    source=data["source"],
                    by_user=request.user,
                    enforce_window=False,
                    beyond_capacity=data["beyond_capacity"],
                )
            except booking.RegistrationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    gettext("%(name)s : %(status)s.")
                    % {
                        "name": registration.first_name,
                        "status": registration.get_status_display().lower(),
                    },
                )
                return redirect(request.path)
        elif action == "presences" or action in ROW_ACTIONS:
            did_not_fit = apply_action(request, occurrence, action)
            if did_not_fit:
                return redirect(f"{request.path}?au_dela={did_not_fit}")
            return redirect(request.path)
    registrations = list(
        Registration.objects.filter(occurrence=occurrence)
        .select_related("building", "residence", "beyond_capacity_by")
        .prefetch_related("notices__called_by")
    )
    confirm_beyond = as_id(request.GET.get("au_dela", ""))
    context = {
        "page": page,
        "occurrence": occurrence,
        "form": form,
        "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
        "waiting": [r for r in registrations if r.status == Registration.Status.WAITING],
        "cancelled": [r for r in registrations if r.status == Registration.Status.CANCELLED],
        "seats": getattr(occurrence, "seats", None),
        "changes": occurrence.changes.select_related("user").order_by("at", "pk"),
        "confirm_beyond": next((r for r in registrations if r.pk == confirm_beyond), None),
        "closed": booking.closed_for_changes(occurrence),
    }
    return TemplateResponse(request, "wagtailadmin_custom/occurrence_registrations.html", context)


# What a row of registrations offers: mark one household present or absent, confirm a waiting
# party, cancel (the per-date page also marks every household at once: « presences »).
ROW_ACTIONS = ("present", "absent", "confirmer", "annuler")


def apply_action(request, occurrence: Occurrence, action: str) -> int | None:
    """Attendance, confirm or cancel; returns the id of a party that did not fit, if any.

    The registration is read from the POST (`registration`) among the date's own, so an id of
    another date does nothing. The per-date page and the « Inscriptions » overview both use it.
    """
    if action == "presences":
        present = {as_id(pk) for pk in request.POST.getlist("present")} - {None}
        confirmed = Registration.objects.filter(
            occurrence=occurrence, status=Registration.Status.CONFIRMED
        )
        confirmed.filter(pk__in=present).update(attended=True)
        confirmed.exclude(pk__in=present).update(attended=False)
        messages.success(request, gettext("Présences enregistrées."))
        return None
    registration = Registration.objects.filter(
        occurrence=occurrence, pk=as_id(request.POST.get("registration")) or 0
    ).first()
    if registration is None:
        messages.error(request, gettext("Inscription introuvable."))
        return None
    if action in ("present", "absent"):
        mark_attendance(request, registration, present=action == "present")
        return None
    try:
        if action == "confirmer":
            beyond = request.POST.get("au_dela") == "1"
            booking.move_to_confirmed(registration, by_user=request.user, beyond_capacity=beyond)
            messages.success(
                request,
                (
                    gettext("Inscription de %(name)s confirmée au-delà du nombre de places.")
                    if beyond
                    else gettext("Inscription de %(name)s confirmée.")
                )
                % {"name": registration.first_name},
            )
        else:
            booking.cancel(registration)
            messages.success(
                request,
                gettext("Inscription de %(name)s annulée.") % {"name": registration.first_name},
            )
    except booking.RegistrationError as error:
        messages.error(request, str(error))
        if action == "confirmer" and not booking.closed_for_changes(occurrence):
            return registration.pk  # the page offers to confirm beyond the capacity
    return None


def mark_attendance(request, registration: Registration, *, present: bool) -> None:
    """One household at the door: present or absent (confirmed registrations only)."""
    name = registration.first_name
    updated = Registration.objects.filter(
        pk=registration.pk, status=Registration.Status.CONFIRMED
    ).update(attended=present)
    if not updated:
        messages.error(
            request,
            _("%(name)s n'est pas inscrit·e (liste d'attente ou annulée) : rien à pointer.")
            % {"name": name},
        )
    elif present:
        messages.success(request, _("%(name)s : présent·e, c'est noté.") % {"name": name})
    else:
        messages.success(request, _("%(name)s : absent·e, c'est noté.") % {"name": name})


def registrations_csv(request, occurrence_id: int):
    occurrence, page = editable_occurrence(request, occurrence_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"inscriptions-{page.slug}-{occurrence.local_start:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 with accents correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            gettext("Statut"),
            gettext("Prénom"),
            gettext("Adultes"),
            gettext("Enfants"),
            gettext("Places"),
            gettext("Téléphone"),
            gettext("E-mail"),
            gettext("Bâtiment"),
            gettext("Allergies"),
            gettext("Accessibilité"),
            gettext("Origine"),
            gettext("Présent"),
            gettext("Inscrit le"),
        ]
    )
    for r in (
        Registration.objects.filter(occurrence=occurrence)
        .select_related("building")
        .order_by("status", "created_at")
    ):
        writer.writerow(
            [
                r.get_status_display(),
                safe_cell(r.first_name),
                r.adults,
                r.children,
                r.seats,
                safe_cell(r.phone),
                safe_cell(r.email),
                r.building.name if r.building else "",
                safe_cell(r.allergies),
                safe_cell(r.mobility),
                r.get_source_display(),
                {True: gettext("oui"), False: gettext("non")}.get(r.attended, ""),
                # Europe/Paris, as everywhere a person reads a time (the row is in UTC).
                f"{timezone.localtime(r.created_at, PARIS):%d/%m/%Y %H:%M}",
            ]
        )
    return response


def safe_cell(value: str) -> str:
    """No spreadsheet formulas from tenant input (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def signin_sheet(request, occurrence_id: int):
    """The sheet signed at the door: confirmed households, a few blank rows for walk-ins, then
    the waiting list apart; one A4 page when it fits (`?pdf=1`: the same as a PDF)."""
    from portal.pdf import printable

    # Rows of 1.3 cm that one A4 page holds below the heading (12, one kept for a title on two
    # lines); the waiting list's heading takes two. At least three blank rows for walk-ins,
    # six on a date without a limit; fewer only to keep the sheet on one page.
    one_page_rows, waiting_heading_rows, fewest_blank, blank_without_limit = 11, 2, 3, 6
    occurrence, page = editable_occurrence(request, occurrence_id)
    registrations = list(
        Registration.objects.filter(
            occurrence=occurrence,
            status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITING),
        )
        .select_related("building")
        .order_by("created_at", "pk")
    )
    confirmed = sorted(
        (r for r in registrations if r.status == Registration.Status.CONFIRMED),
        key=lambda r: (r.first_name.casefold(), r.pk),
    )
    waiting = [r for r in registrations if r.status == Registration.Status.WAITING]  # in turn
    seats = getattr(occurrence, "seats", None)
    remaining = seats.remaining if seats is not None else None
    wanted = blank_without_limit if remaining is None else max(fewest_blank, remaining)
    room = one_page_rows - len(confirmed) - (len(waiting) + waiting_heading_rows if waiting else 0)
    blank = min(wanted, room) if room >= 0 else fewest_blank
    return printable(
        request,
        "print/signin_sheet.html",
        {
            "page": page,
            "occurrence": occurrence,
            "registrations": confirmed,
            "waiting": waiting,
            "seats": seats,
            "blank_rows": range(blank),
        },
        filename=f"emargement-{page.slug}-{occurrence.local_start:%Y-%m-%d}.pdf",
    )


def poster(request, page_id: int):
    """The hall poster, A4 or A5 (`?format=a5`): dates (moved ones marked), place, phone to
    sign up and a QR code to the page (`?pdf=1`: the same as a PDF)."""
    from portal.pdf import printable

    page = editable_event(request, page_id)
    paper = "a5" if request.GET.get("format") == "a5" else "a4"
    url = request.build_absolute_uri(page.get_url(request) or "/")
    qr = segno.make(url, error="m").svg_inline(scale=6, title=f"Code QR vers {url}")
    occurrences = Occurrence.objects.filter(page=page).upcoming()[: 4 if paper == "a5" else 6]
    return printable(
        request,
        "print/poster.html",
        {
            "page": page,
            "paper": paper,
            "url": url,
            "qr": qr,
            "occurrences": occurrences,
            "phone": page.registration_phone,
        },
        filename=f"affiche-{page.slug}{'-a5' if paper == 'a5' else ''}.pdf",
    )
