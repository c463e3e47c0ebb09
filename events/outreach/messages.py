"""Writing to the people registered for a date, or for every coming date of an event.

E-mail and SMS go to those who gave them; the others land on the call list. The mediator sees a
preview first (who gets what, the SMS as it will read and its length), and a second message to
the same date within the hour asks for a confirmation: a guard against sending twice by mistake.
What was sent is recorded (RegistrantMessage, and one Notice per person and channel); logs name
ids only.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from events.calendar.formatting import when
from events.models import Notice, Occurrence, RegistrantMessage, Registration
from events.registrations.admin_views import editable_event, editable_occurrence
from events.registrations.forms import clean_text
from events.registrations.notices import channels_for, notify
from events.registrations.texts import preview_sms
from portal.sms import encoding, segments

logger = logging.getLogger(__name__)

GUARD = timedelta(hours=1)
STARTER = (
    "Bonjour,\n\n"
    "[Écrivez ici votre information : un changement d'horaire, une salle différente, "
    "ce qu'il faut apporter…]\n\n"
    "Pour toute question, appelez-nous.\n"
    "L'équipe de médiation"
)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=120)
    body = forms.CharField(
        label=_("Message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Envoyé par e-mail et par SMS aux personnes qui les ont acceptés ; les autres sont "
            "ajoutées à la liste « À appeler ». Pas de données personnelles dans le message."
        ),
    )
    again = forms.BooleanField(
        label=_("Envoyer quand même : un message a déjà été envoyé il y a moins d'une heure"),
        required=False,
    )

    def __init__(self, *args: Any, recent: RegistrantMessage | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.recent = recent
        if recent is None:
            del self.fields["again"]

    def clean_subject(self):
        subject = " ".join(clean_text(self.cleaned_data["subject"]).split())
        if not subject:
            raise forms.ValidationError(_("Indiquez un objet."))
        return subject

    def clean_body(self):
        body = clean_text(self.cleaned_data["body"]).strip()
        if not body or "[Écrivez ici" in body:
            raise forms.ValidationError(
                _("Écrivez votre message (remplacez le texte entre crochets).")
            )
        return body


def recipients(occurrences: Sequence[Occurrence]) -> list[Registration]:
    return list(
        Registration.objects.filter(
            occurrence__in=occurrences,
            status__in=Registration.ACTIVE,
            anonymised_at__isnull=True,
        ).select_related("occurrence")
    )


def channel_counts(registrations: Iterable[Registration]) -> Counter:
    counts: Counter = Counter()
    for registration in registrations:
        found = channels_for(registration, Notice.Kind.MESSAGE)
        counts.update(found or ["none"])
    return counts


def last_message(occurrences: Sequence[Occurrence]) -> RegistrantMessage | None:
    return (
        RegistrantMessage.objects.filter(
            occurrence__in=occurrences, created_at__gte=timezone.now() - GUARD
        )
        .order_by("-created_at")
        .first()
    )


def message_occurrence(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    occurrence, page = editable_occurrence(request, occurrence_id)
    return compose(request, page, [occurrence], title=when(occurrence))


def message_event(request: HttpRequest, page_id: int) -> HttpResponse:
    page = editable_event(request, page_id)
    coming = list(Occurrence.objects.filter(page=page).upcoming().exclude(status="cancelled"))
    return compose(request, page, coming, title=gettext("Toutes les dates à venir"))


def compose(
    request: HttpRequest, page: Page, occurrences: list[Occurrence], *, title: str
) -> HttpResponse:
    recent = last_message(occurrences)
    initial = {"subject": f"Information : {page.title}", "body": STARTER}
    form = MessageForm(request.POST or None, initial=initial, recent=recent)
    people = recipients(occurrences)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "envoyer":
            if recent is not None and not data.get("again"):
                form.add_error(
                    "again",
                    _("Cochez cette case pour envoyer un deuxième message en moins d'une heure."),
                )
            elif not people:
                form.add_error(None, _("Personne n'est inscrit : aucun message à envoyer."))
            else:
                sent = send(occurrences, people, data["subject"], data["body"], request.user)
                flash.success(
                    request,
                    gettext(
                        "Message envoyé : %(email)s e-mail(s), %(sms)s SMS, "
                        "%(call)s personne(s) à appeler."
                    )
                    % sent,
                )
                if len(occurrences) == 1:
                    return redirect("occurrence_registrations", occurrences[0].pk)
                return redirect("event_registrations", page.pk)
        sms = preview_sms(data["subject"], data["body"])
        preview = {"sms": sms, "segments": segments(sms), "encoding": encoding(sms)}
    context = {
        "page": page,
        "title": title,
        "occurrences": occurrences,
        "form": form,
        "preview": preview,
        "counts": channel_counts(people),
        "people": len(people),
        "recent": recent,
        "history": RegistrantMessage.objects.filter(occurrence__in=occurrences)
        .select_related("author", "occurrence")
        .order_by("-created_at")[:10],
    }
    return TemplateResponse(request, "wagtailadmin_custom/registrant_message.html", context)


@transaction.atomic
def send(
    occurrences: list[Occurrence],
    people: list[Registration],
    subject: str,
    body: str,
    user: Any,
) -> Counter:
    """One RegistrantMessage per date (one batch), then the notices of each person."""
    batch = secrets.token_hex(8)
    by_occurrence: dict[int, list[int]] = {}
    for registration in people:
        by_occurrence.setdefault(registration.occurrence_id, []).append(registration.pk)
    sent: Counter = Counter()
    for occurrence in occurrences:
        ids = by_occurrence.get(occurrence.pk)
        if not ids:
            continue
        message = RegistrantMessage.objects.create(
            occurrence=occurrence, batch=batch, subject=subject, body=body, author=user
        )
        notices = notify(ids, Notice.Kind.MESSAGE, message=message)
        sent.update(notice.channel for notice in notices)
        logger.info(
            "registrant message id=%s occurrence=%s user=%s notices=%s",
            message.pk,
            occurrence.pk,
            user.pk,
            len(notices),
        )
    return sent
