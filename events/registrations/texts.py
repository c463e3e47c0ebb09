"""What each notice says in a text message, and what a mediator says when calling.

An SMS carries the news, the date, the time, the place, the reference and a short private
link; it is written in GSM-7 (French accents that are not in the GSM alphabet are simplified)
so that most fit one segment of 160 characters. The call script says the same in a sentence.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import override

from wagtail.models import Page

from events.calendar.formatting import former_time
from events.calendar.schedule import format_time
from events.models import ManageLink, Notice, Occurrence, RegistrantMessage, Registration
from portal.sms.segments import segments, to_gsm

Kind = Notice.Kind
# The news of a date never costs more than two SMS (306 GSM-7 characters): a long title, place
# or reason is cut to these lengths in turn, the date, the time, the reference and the link kept.
MAX_SEGMENTS = 2
SHORTER = (80, 50, 30, 20)


def short_when(occurrence: Occurrence) -> str:
    """« jeu. 5 mars 18h30 »: the date as a text message writes it."""
    start = occurrence.local_start
    with override("fr"):
        day = date_format(start.date(), "D j F")
    if occurrence.all_day:
        return day
    return f"{day} {format_time(start.time())}"


def place(page: Page) -> str:
    return page.venue_label or ""


def shorten(text: str, limit: int | None) -> str:
    """The text, cut at a word to at most `limit` characters (with « … ») when it is longer."""
    if limit is None or len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-(") + "…"


def headline(registration: Registration, kind: str, limit: int | None = None) -> str:
    """The news in a few words, the same in a text message and on the call list.

    With `limit`, the event's title, its place and the reason of a cancellation are each cut to
    that many characters: the date and the time are always there in full.
    """
    occurrence = registration.occurrence
    page = occurrence.page.specific
    title = shorten(page.title, limit)
    where = shorten(place(page), limit)
    at = f", {where}" if where else ""
    if kind == Kind.CONFIRMED and registration.status == Registration.Status.WAITING:
        position = registration.waiting_position
        return f"Liste d'attente (n°{position}) : {title}, {short_when(occurrence)}{at}."
    if kind == Kind.CONFIRMED:
        return f"Inscription confirmée : {title}, {short_when(occurrence)}{at}."
    if kind == Kind.PROMOTED:
        return f"Une place s'est libérée, votre inscription est confirmée : {title}, {short_when(occurrence)}{at}."
    if kind == Kind.MOVED:
        return f"Changement : {title} a lieu le {short_when(occurrence)}{at}."
    if kind == Kind.CANCELLED:
        reason = f" ({shorten(occurrence.reason, limit)})" if occurrence.reason else ""
        return f"ANNULÉ : {title} du {short_when(occurrence)}{reason}."
    if kind == Kind.RESTORED:
        return f"Maintenu : {title} a bien lieu le {short_when(occurrence)}{at}."
    if kind == Kind.REMINDER:
        return f"Rappel : {title} demain, {short_when(occurrence)}{at}."
    raise ValueError(kind)


def sms_text(
    registration: Registration, kind: str, message: RegistrantMessage | None = None
) -> str:
    """The whole text message, with the reference and a fresh short private link."""
    token = ManageLink.issue(registration, short=True)
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "events:manage_short", args=(token,)
    )
    tail = f" Réf. {registration.reference}. Gérer : {link}"
    if kind == Kind.MESSAGE and message is not None:
        return to_gsm(f"{message.subject} : {message.body}{tail}")
    # A long title, place or reason is cut, shorter each time, until the news fits.
    for limit in (None, *SHORTER):
        text = to_gsm(headline(registration, kind, limit) + tail)
        if segments(text) <= MAX_SEGMENTS:
            break
    return text


def call_script(
    registration: Registration, kind: str, message: RegistrantMessage | None = None
) -> str:
    """What to tell the household on the phone."""
    occurrence = registration.occurrence
    if kind == Kind.MESSAGE and message is not None:
        return f"{message.subject} : {message.body}"
    news = headline(registration, kind)
    if kind == Kind.MOVED:
        former = former_time(occurrence)
        if former:
            news += f" ({former.capitalize()}.)"
    return f"{news} Référence {spelled(registration.reference)}."


def spelled(reference: str) -> str:
    """« K 7 M X 3 P »: easier to read out."""
    return " ".join(reference)


def preview_sms(subject: str, body: str) -> str:
    """The team's message as an SMS will read, with a stand-in reference and link."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    link = base + reverse("events:manage_short", args=("x" * 16,))
    return to_gsm(f"{subject} : {body} Réf. XXXXXX. Gérer : {link}")
