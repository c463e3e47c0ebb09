"""Signing up without an account, and the private page to see, change or cancel."""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from events.models import ManageLink, Occurrence, Registration
from events.registrations import notices as notifications
from events.registrations import services as booking
from events.registrations.forms import ChangePartyForm, SignupForm
from events.registrations.privacy import anonymise
from portal import throttle

logger = logging.getLogger(__name__)


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request, occurrence_id: int):
    occurrence = get_object_or_404(
        Occurrence.objects.events().live().select_related("page"), pk=occurrence_id
    )
    page = occurrence.page.specific
    if not page.registration_enabled:
        raise Http404
    closed = booking.registration_closed_reason(occurrence)
    form = SignupForm(
        request.POST or None, page=page, residence=getattr(occurrence, "residence", None)
    )
    if request.method == "POST" and not closed:
        if not throttle.allow("signup", request, settings.SIGNUP_RATE_LIMIT, 3600):
            return throttle.too_many_requests(request)
        if form.is_valid():
            data = form.cleaned_data
            party = booking.Party(
                first_name=data["first_name"],
                adults=data["adults"],
                children=data.get("children", 0),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                sms_consent=data.get("sms", False),
                residence_id=data["residence"].pk if data.get("residence") else None,
                building_id=data["building"].pk if data.get("building") else None,
                allergies=data.get("allergies", ""),
                mobility=data.get("mobility", ""),
            )
            try:
                registration = booking.register(occurrence, party)
            except booking.RegistrationError as error:
                form.add_error(None, str(error))
            else:
                token = ManageLink.issue(registration)
                notifications.registration_confirmed(registration.pk)  # by e-mail, SMS
                return redirect(reverse("events:manage", args=(token,)) + "?nouvelle=1")
    counter = getattr(occurrence, "seats", None)
    return render(
        request,
        "pages/signup.html",
        {
            "occurrence": occurrence,
            "event": page,
            "form": form,
            "closed": closed,
            "counter": counter,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    # Before the lookup, so that guessing tokens is limited too.
    if not throttle.allow("manage", request, settings.MANAGE_RATE_LIMIT, 600):
        return throttle.too_many_requests(request)
    registration = ManageLink.find(token)
    if registration is None:
        # A link deleted with its data, or cut short when copied: say so, and who to call.
        return render(request, "pages/registration_link_unknown.html", status=404)
    occurrence = registration.occurrence
    page = occurrence.page.specific
    form = ChangePartyForm(
        initial={"adults": registration.adults, "children": registration.children}, page=page
    )
    closed = booking.closed_for_changes(occurrence)
    if request.method == "POST":
        action = request.POST.get("action")
        if closed and action in ("modifier", "annuler", "annuler_confirme"):
            # A cancelled or past date: nothing to change or cancel, only data to erase.
            messages.error(request, f"{closed} Vous pouvez seulement supprimer vos informations.")
            return redirect(request.path)
        if action == "modifier":
            form = ChangePartyForm(request.POST, page=page)
            if form.is_valid():
                try:
                    booking.change_party(
                        registration, form.cleaned_data["adults"], form.cleaned_data["children"]
                    )
                except booking.RegistrationError as error:
                    registration.refresh_from_db()
                    if registration.is_active:
                        form.add_error(None, str(error))
                    else:  # cancelled meanwhile (another tab): the form is hidden now
                        messages.error(request, str(error))
                else:
                    messages.success(request, "Le nombre de personnes est mis à jour.")
                    return redirect(request.path)
        elif action in ("sms_non", "sms_oui"):
            wanted = action == "sms_oui"
            number = registration.phone_number
            if wanted and not (number and number.is_mobile):
                messages.error(request, "Les SMS demandent un numéro de portable.")
            else:
                Registration.objects.filter(pk=registration.pk).update(sms_consent=wanted)
                messages.success(
                    request,
                    "Vous recevrez les nouvelles de cette inscription par SMS."
                    if wanted
                    else "Vous ne recevrez plus de SMS pour cette inscription.",
                )
                return redirect(request.path)
        elif action == "annuler":
            # One step more: « Annuler » asks to confirm, nothing is cancelled yet.
            return render(
                request,
                "pages/registration_cancel_confirm.html",
                {"registration": registration, "occurrence": occurrence, "event": page},
            )
        elif action in ("annuler_confirme", "supprimer"):
            booking.cancel(registration)
            if action == "supprimer":
                anonymise([registration.pk])
                return render(request, "pages/registration_deleted.html", {"event": page})
            messages.success(
                request, "Votre inscription est annulée. Merci de nous avoir prévenus."
            )
            return redirect(request.path)
        else:
            messages.error(request, "Action inconnue.")
        registration.refresh_from_db()
    return render(
        request,
        "pages/registration_manage.html",
        {
            "registration": registration,
            "occurrence": occurrence,
            "event": page,
            "form": form,
            "closed": closed,
            "is_new": request.GET.get("nouvelle") == "1" and registration.is_active,
            "can_sign_up_again": not registration.is_active
            and page.registration_enabled
            and not booking.registration_closed_reason(occurrence),
        },
    )
