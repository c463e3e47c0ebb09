"""« Mes préférences »: an e-mail for each tenant's request, or only the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from residences.situations.forms import NoticePreferenceForm
from residences.situations.models import NoticePreference

from .common import team_view


@team_view
def preferences(request, team):
    current = NoticePreference.objects.filter(user=request.user).first()
    initial = {"email_on_request": bool(current and current.email_on_request)}
    form = NoticePreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            NoticePreference.objects.update_or_create(
                user=request.user,
                defaults={"email_on_request": form.cleaned_data["email_on_request"]},
            )
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("situations_preferences")
    context = {"form": form, "has_email": bool(request.user.email)}
    return TemplateResponse(request, "residences/situations/admin/preferences.html", context)
