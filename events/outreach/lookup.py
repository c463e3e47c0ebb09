"""Finding a registration by the reference a tenant reads out on the phone, in one's sectors."""

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from events.models import Registration
from events.outreach.scope import occurrences_for


def normalise_reference(raw: str) -> str:
    """« k7 mx-3p » → « K7MX3P »: spaces, dashes and case do not matter."""
    return re.sub(r"[\s\-.]", "", raw or "").upper()[:12]


def find_by_reference(request: HttpRequest) -> HttpResponse:
    reference = normalise_reference(request.GET.get("reference", ""))
    found = (
        Registration.objects.filter(
            reference=reference, occurrence__in=occurrences_for(request.user)
        ).first()
        if len(reference) == 6
        else None
    )
    if found is None:
        # The same answer for a reference outside one's sectors: nothing to learn from it.
        messages.error(
            request,
            gettext("Aucune inscription avec la référence « %(reference)s » dans vos secteurs.")
            % {"reference": reference}
            if reference
            else gettext("Indiquez une référence de six caractères, par exemple K7MX3P."),
        )
        return redirect("wagtailadmin_home")
    url = reverse("occurrence_registrations", args=(found.occurrence_id,))
    return redirect(f"{url}#inscription-{found.pk}")
