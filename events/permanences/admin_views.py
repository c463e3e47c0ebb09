"""« Annuler une date » : a mediator cancels one date of a permanence in under a minute."""

from datetime import time

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.calendar.schedule import ExceptionKind, local, shown_date
from events.calendar.schedule_fields import horizon_date
from events.models import Occurrence, PermanenceException, PermanencePage


class CancelDateForm(forms.Form):
    date = forms.DateField(label=_("Date à annuler"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    reason = forms.CharField(
        label=_("Motif affiché aux locataires"),
        max_length=200,
        help_text=_("Par exemple « formation », « congés », « réunion à l'agence »."),
    )

    def __init__(self, page: PermanencePage, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["date"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Cette date est passée."))
        if day not in self.page.get_schedule().local_dates(horizon_date()):
            raise forms.ValidationError(
                _("Le %(date)s n'est pas une date de cette permanence.") % {"date": shown_date(day)}
            )
        if Occurrence.objects.filter(
            page=self.page, start__lte=timezone.now(), start__gte=local(day, time(0))
        ).exists():
            # What took place is history: it cannot be cancelled after the fact.
            raise forms.ValidationError(_("La permanence de ce jour a déjà commencé."))
        if day in self.page.closed_dates(horizon_date()):
            raise forms.ValidationError(_("La permanence est déjà fermée ce jour-là."))
        if any(row.date == day for row in self.page.exceptions.all()):
            raise forms.ValidationError(
                _("Cette date a déjà une modification : ouvrez la permanence pour la changer.")
            )
        return day


def cancel_date(request, page_id: int):
    page = get_object_or_404(PermanencePage, pk=page_id)
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    workflow = page.get_workflow()
    if not permissions.can_publish() and workflow is None:
        messages.error(
            request,
            _(
                "Vous ne pouvez pas publier cette permanence et aucun circuit de validation "
                "n'est prévu : demandez à un responsable d'annuler la date."
            ),
        )
        return redirect(edit_url)
    if page.workflow_in_progress:
        messages.warning(
            request,
            _(
                "Une modification de cette permanence attend déjà la validation d'un "
                "responsable : annulez la date depuis sa page, ou attendez la validation."
            ),
        )
        return redirect(edit_url)
    if page.has_unpublished_changes or not page.live:
        messages.warning(
            request,
            _(
                "Cette permanence a des modifications non publiées : annulez la date depuis sa page."
            ),
        )
        return redirect(edit_url)
    form = CancelDateForm(page, request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        day, reason = form.cleaned_data["date"], form.cleaned_data["reason"]
        page.exceptions.add(
            PermanenceException(kind=ExceptionKind.CANCELLED, date=day, reason=reason)
        )
        revision = page.save_revision(user=request.user, log_action=True)
        if permissions.can_publish():
            revision.publish(user=request.user)
            messages.success(
                request,
                _("La permanence du %(date)s est annulée ; les locataires le voient déjà.")
                % {"date": shown_date(day)},
            )
        else:
            # Submitted like « Soumettre à validation » in the editor: the sector's managers
            # are asked to approve, and the page shows the request in progress.
            workflow.start(page, request.user)
            messages.success(
                request,
                _(
                    "L'annulation du %(date)s est envoyée pour validation aux responsables ; "
                    "elle sera visible dès qu'ils l'auront approuvée."
                )
                % {"date": shown_date(day)},
            )
        return redirect(reverse("wagtailadmin_explore", args=(page.get_parent().pk,)))
    return TemplateResponse(
        request,
        "wagtailadmin_custom/cancel_date.html",
        {"page": page, "form": form, "edit_url": edit_url},
    )
