"""« Demander l'aide d'un médiateur »: the tenant's form (no account) and its acknowledgement.

Never cached (the form carries a CSRF token, the answer a reference). The acknowledgement's
address carries the reference signed and short-lived, so it shows nothing to anyone guessing.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal import throttle
from residences.models import ResidencePage
from residences.situations import services
from residences.situations.forms import HelpRequestForm

SALT = "situations.help-request-sent"
SENT_MAX_AGE = 3600


@never_cache
@require_http_methods(["GET", "POST"])
def ask_for_help(request, slug: str | None = None):
    residence = None
    if slug is not None:
        residence = get_object_or_404(ResidencePage.objects.listed(), slug=slug)
    elif request.GET.get("residence"):
        found = ResidencePage.objects.listed().filter(slug=request.GET["residence"][:100]).first()
        if found is not None:
            return redirect("residences:help_request_residence", found.slug)
    form = HelpRequestForm(request.POST or None, residence=residence)
    if request.method == "POST":
        if not throttle.allow("help_request", request, settings.HELP_REQUEST_RATE_LIMIT, 3600):
            return throttle.too_many_requests(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                help_request = services.receive_request(
                    services.TenantRequest(
                        residence=data["residence"],
                        building=data.get("building"),
                        category=data["category"],
                        message=data["message"],
                        first_name=data.get("first_name", ""),
                        contact=data["contact"],
                        phone=data.get("phone", ""),
                        email=data.get("email", ""),
                        availability=data.get("availability", ""),
                    )
                )
            except services.SituationError as error:
                form.add_error(None, str(error))
            else:
                token = signing.dumps(help_request.reference, salt=SALT)
                return redirect(reverse("residences:help_request_sent") + f"?r={token}")
    return render(
        request,
        "residences/situations/request_form.html",
        {
            "form": form,
            "residence": residence,
            "retention_months": settings.SITUATION_RETENTION_MONTHS,
        },
    )


@never_cache
def request_sent(request):
    try:
        reference = signing.loads(request.GET.get("r", ""), salt=SALT, max_age=SENT_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    return render(request, "residences/situations/request_sent.html", {"reference": reference})
