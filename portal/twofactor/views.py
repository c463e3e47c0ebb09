"""The French pages: verify a code, set up the app, recovery codes, the account's status.

Registered under /admin/deux-etapes/ by wagtail_hooks.py, so Wagtail's require_admin_access
applies: a signed-in account with admin access, in its admin language. The code field is a
sensitive POST parameter (masked in Django's error reports); codes and secrets are never logged.
"""

import django_otp

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import devices, policy
from .forms import AppCodeForm, VerifyForm


def next_url(request) -> str:
    """Where to go once verified: a local URL only, never back to our own pages."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    own = (reverse("twofactor_verify"), reverse("twofactor_setup"))
    if (
        candidate
        and not candidate.startswith(own)
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return reverse("wagtailadmin_home")


def with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url(request)})}"


def mark_verified(request, device) -> None:
    """A new session key once the second step is passed, as after a password login."""
    request.session.cycle_key()
    django_otp.login(request, device)


def refused(form, outcome) -> None:
    if outcome.throttled_until:
        form.add_error(
            "code",
            _("Trop de codes erronés. Patientez %(seconds)s secondes avant de réessayer.")
            % {"seconds": outcome.wait_seconds},
        )
    else:
        form.add_error(
            "code",
            _(
                "Ce code n'est pas valable. Vérifiez qu'il s'agit du dernier code affiché "
                "(et que votre téléphone est à l'heure), ou utilisez un code de secours."
            )
            if not outcome.recovery
            else _("Ce code de secours n'est pas valable ou a déjà servi."),
        )


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if not policy.is_enrolled(user):
        if policy.must_enrol(user):
            return redirect(with_next("twofactor_setup", request))
        return redirect(next_url(request))
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = devices.verify(user, form.cleaned_data["code"])
        if outcome.ok:
            mark_verified(request, outcome.device)
            if outcome.recovery:
                messages.warning(
                    request,
                    _(
                        "Code de secours accepté ; il ne servira plus. Il vous en reste "
                        "%(count)s : créez-en de nouveaux depuis votre compte, rubrique "
                        "« Vérification en deux étapes »."
                    )
                    % {"count": devices.recovery_codes_left(user)},
                )
            return redirect(next_url(request))
        refused(form, outcome)
        status = 429 if outcome.throttled_until else 200
    return TemplateResponse(
        request,
        "twofactor/verify.html",
        {"form": form, "next": next_url(request), "title": _("Vérification en deux étapes")},
        status=status,
    )


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    """Enrol (or, once verified, replace) the authenticator app; then show recovery codes."""
    user = request.user
    if policy.is_enrolled(user) and not user.is_verified():
        return redirect(with_next("twofactor_verify", request))
    device = devices.pending_app_device(user)
    form = AppCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = devices.confirm_app(user, device.pk, form.cleaned_data["code"])
        if outcome.ok:
            mark_verified(request, outcome.device)
            return recovery_codes_page(request, devices.new_recovery_codes(user), first=True)
        refused(form, outcome)
        status = 429 if outcome.throttled_until else 200
    return TemplateResponse(
        request,
        "twofactor/setup.html",
        {
            "form": form,
            "next": next_url(request),
            "qr_code": devices.qr_code_svg(device),
            "secret": devices.secret_text(device),
            "required": policy.must_enrol(user),
            "title": _("Activer la vérification en deux étapes"),
        },
        status=status,
    )


def recovery_codes_page(request, codes: list[str], first: bool) -> TemplateResponse:
    """Shown once, in the answer to the POST that made them: never stored for a later page."""
    return TemplateResponse(
        request,
        "twofactor/recovery_codes.html",
        {
            "codes": codes,
            "first": first,
            "next": next_url(request),
            "title": _("Vos codes de secours"),
        },
    )


@never_cache
def manage(request):
    """The account's page: status, change the app, new recovery codes, switch off if optional."""
    user = request.user
    return TemplateResponse(
        request,
        "twofactor/manage.html",
        {
            "enrolled": policy.is_enrolled(user),
            "required": policy.must_enrol(user),
            "codes_left": devices.recovery_codes_left(user),
            "disable_form": VerifyForm(),
            "title": _("Vérification en deux étapes"),
        },
    )


@never_cache
def renew_codes(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not policy.is_enrolled(request.user):
        return redirect("twofactor_manage")
    return recovery_codes_page(request, devices.new_recovery_codes(request.user), first=False)


@never_cache
@sensitive_post_parameters("code")
def disable(request):
    """Only where the policy leaves it optional, and with a current code."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = request.user
    if policy.must_enrol(user):
        messages.error(request, _("La vérification en deux étapes est obligatoire pour ce compte."))
        return redirect("twofactor_manage")
    form = VerifyForm(request.POST)
    if form.is_valid():
        outcome = devices.verify(user, form.cleaned_data["code"])
        if outcome.ok:
            devices.reset(user)
            messages.success(request, _("La vérification en deux étapes est désactivée."))
            return redirect("twofactor_manage")
        refused(form, outcome)
    return TemplateResponse(
        request,
        "twofactor/manage.html",
        {
            "enrolled": policy.is_enrolled(user),
            "required": False,
            "codes_left": devices.recovery_codes_left(user),
            "disable_form": form,
            "title": _("Vérification en deux étapes"),
        },
        status=400,
    )
