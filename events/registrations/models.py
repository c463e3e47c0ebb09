"""Sign-ups per occurrence: settings on the event, seat counters and registrations in their own tables.

The counter never lives on a Wagtail page: publishing a revision rewrites every page field.
"""

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from portal.validators import validate_phone


class RegistrationSettingsMixin(models.Model):
    registration_enabled = models.BooleanField(
        _("inscription en ligne"),
        default=False,
        help_text=_("Les locataires s'inscrivent depuis le portail, sans compte."),
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("En personnes, pour chaque date. Laissez vide s'il n'y a pas de limite."),
    )
    registration_opens = models.DateTimeField(
        _("ouverture des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Vide : dès maintenant."),
    )
    registration_closes = models.DateTimeField(
        _("clôture des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Vide : jusqu'au début de chaque date."),
    )
    children_allowed = models.BooleanField(_("enfants bienvenus"), default=True)
    children_counted = models.BooleanField(_("les enfants comptent dans les places"), default=True)
    ask_allergies = models.BooleanField(_("demander les allergies alimentaires"), default=False)
    ask_mobility = models.BooleanField(_("demander les besoins d'accessibilité"), default=False)
    signup_phone = models.CharField(
        _("téléphone pour s'inscrire"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_(
            "Affiché sur l'affiche et la page, pour s'inscrire par téléphone. Vide : celui du "
            "premier médiateur organisateur, sinon du secteur, sinon du service médiation."
        ),
    )
    confirmation_message = models.TextField(
        _("message après l'inscription"),
        blank=True,
        max_length=500,
        help_text=_("Par exemple « Apportez un gâteau si vous le souhaitez ! »."),
    )

    registration_panels = [
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
                FieldPanel("children_allowed"),
                FieldPanel("children_counted"),
                FieldPanel("ask_allergies"),
                FieldPanel("ask_mobility"),
                FieldPanel("signup_phone"),
                FieldPanel("confirmation_message"),
            ],
            heading=_("Inscriptions"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        opens, closes = self.registration_opens, self.registration_closes
        if opens and closes and closes <= opens:
            raise ValidationError(
                {
                    "registration_closes": _(
                        "La clôture doit être après l'ouverture des inscriptions."
                    )
                }
            )
        if self.capacity == 0:
            raise ValidationError(
                {"capacity": _("Indiquez au moins une place, ou laissez vide pour ne pas limiter.")}
            )

    def seats_for(self, adults: int, children: int) -> int:
        return adults + (children if self.children_counted else 0)

    @property
    def registration_phone(self) -> str:
        """Where to phone to sign up: the page's, an organiser's, the sector's, the service's."""
        return signup_phone_for(self)


def signup_phone_for(page: Any) -> str:
    """The first phone found: the page's own, its first organising mediator's, the sector's
    above it, then the mediation service's (site settings)."""
    if getattr(page, "signup_phone", ""):
        return page.signup_phone
    mediators = getattr(page, "organising_mediators", None)
    if mediators is not None:
        for mediator in mediators.all():
            if mediator.phone:
                return mediator.phone
    from residences.scopes import Scope

    sector = Scope.containing(page).sector
    if sector is not None and sector.phone:
        return sector.phone
    from portal.models import PortalSettings

    site = page.get_site()
    return PortalSettings.for_site(site).contact_phone if site is not None else ""


class SeatCounter(models.Model):
    """Seats taken by confirmed registrations of one date, guarded by a CHECK constraint.

    `capacity` is always the one the mediator set. `overbooking` counts the seats knowingly
    taken beyond it: a capacity lowered below the seats already taken, or a mediator confirming
    one more household on a full date. It shrinks as seats are freed, so the guard stays tight.
    """

    occurrence = models.OneToOneField(
        "events.Occurrence", on_delete=models.CASCADE, primary_key=True, related_name="seats"
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(_("places prises"), default=0)
    overbooking = models.PositiveIntegerField(_("places au-delà de la capacité"), default=0)

    class Meta:
        verbose_name = _("compteur de places")
        verbose_name_plural = _("compteurs de places")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True)
                | Q(seats_taken__lte=F("capacity") + F("overbooking")),
                name="seats_never_overbooked",
            )
        ]

    def __str__(self) -> str:
        return f"{self.seats_taken}/{self.capacity or '∞'}"

    @property
    def remaining(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.seats_taken)

    @property
    def excess(self) -> int:
        """People confirmed beyond the capacity."""
        return 0 if self.capacity is None else max(0, self.seats_taken - self.capacity)

    def fits(self, seats: int) -> bool:
        return self.capacity is None or self.seats_taken + seats <= self.capacity

    def take(self, seats: int) -> None:
        self.seats_taken += seats

    def take_beyond_capacity(self, seats: int) -> None:
        self.seats_taken += seats
        self.overbooking = max(self.overbooking, self.excess)

    def release(self, seats: int) -> None:
        self.seats_taken -= seats
        self.overbooking = min(self.overbooking, self.excess)


# No 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B: nothing that reads or sounds like another over the phone.
REFERENCE_ALPHABET = "ACDEFGHJKMNPRTUVWXY34679"


def new_reference() -> str:
    """A reference no registration holds yet (24⁶ ≈ 191 million of them)."""
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not Registration.objects.filter(reference=reference).exists():
            return reference


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscription confirmée")
        WAITING = "waiting", _("Liste d'attente")
        CANCELLED = "cancelled", _("Annulée")

    class Source(models.TextChoices):
        WEB = "web", _("En ligne")
        PHONE = "telephone", _("Par téléphone")
        DESK = "permanence", _("À la permanence")
        DOOR = "porte-a-porte", _("Porte-à-porte")

    ACTIVE = (Status.CONFIRMED, Status.WAITING)

    occurrence = models.ForeignKey(
        "events.Occurrence",
        verbose_name=_("date"),
        # A registration is history: its date is never deleted (it is cancelled instead).
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices)
    source = models.CharField(
        _("origine"), max_length=16, choices=Source.choices, default=Source.WEB
    )
    first_name = models.CharField(_("prénom"), max_length=60)
    adults = models.PositiveSmallIntegerField(_("adultes"), default=1)
    children = models.PositiveSmallIntegerField(_("enfants"), default=0)
    seats = models.PositiveSmallIntegerField(_("places"))
    # Six characters read over the phone (« K7MX3P »): a mediator finds a registration by it.
    reference = models.CharField(
        _("référence"), max_length=6, unique=True, editable=False, default=new_reference
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # E.164 (« +33612345678 »), whatever way it was written; shown in the national form.
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    sms_consent = models.BooleanField(_("accepte les SMS"), default=False)
    contact_key = models.CharField(max_length=254, blank=True, editable=False)
    residence = models.ForeignKey(
        "residences.ResidencePage",
        verbose_name=_("résidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    building = models.ForeignKey(
        "residences.Building",
        verbose_name=_("bâtiment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    allergies = models.CharField(_("allergies"), max_length=300, blank=True)
    mobility = models.CharField(_("besoins d'accessibilité"), max_length=300, blank=True)
    attended = models.BooleanField(_("présent"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inscrit par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    beyond_capacity = models.BooleanField(_("confirmée au-delà de la capacité"), default=False)
    beyond_capacity_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmée au-delà de la capacité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "contact_key"],
                condition=Q(status__in=["confirmed", "waiting"]) & ~Q(contact_key=""),
                name="one_active_registration_per_contact",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="registration_takes_a_seat"),
        ]
        indexes = [models.Index(fields=["occurrence", "status", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def phone_number(self):
        """The stored number read back (display form, mobile or not); None without one."""
        from portal.phones import phone_or_none

        return phone_or_none(self.phone) if self.phone else None

    @property
    def textable(self) -> bool:
        """SMS can reach this household: it asked for them, on a mobile number."""
        number = self.phone_number
        return bool(self.sms_consent and number and number.is_mobile)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def waiting_position(self) -> int | None:
        if self.status != self.Status.WAITING:
            return None
        earlier = Registration.objects.filter(
            occurrence_id=self.occurrence_id,
            status=self.Status.WAITING,
        ).filter(Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk))
        return earlier.count() + 1


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ManageLink(models.Model):
    """A private link to see, change or cancel a registration; only its hash is stored."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lien de gestion")
        verbose_name_plural = _("liens de gestion")

    def __str__(self) -> str:
        return f"lien #{self.pk}"

    @classmethod
    def issue(cls, registration: Registration, short: bool = False) -> str:
        """A new random token; the caller shows or sends it once, we keep the hash.

        32 bytes for pages and e-mails; 12 (96 bits, still beyond guessing at our rate limits)
        in a text message, where every character counts.
        """
        token = secrets.token_urlsafe(12 if short else 32)
        cls.objects.create(registration=registration, token_hash=hash_token(token))
        return token

    @classmethod
    def find(cls, token: str) -> Registration | None:
        if not token or len(token) > 100:
            return None
        link = (
            cls.objects.select_related("registration")
            .filter(token_hash=hash_token(token), registration__anonymised_at__isnull=True)
            .first()
        )
        return link.registration if link else None


class Notice(models.Model):
    """One message about one registration: which, for which version of the date, by which channel.

    A row is made once per (registration, kind, version of the date, channel), whatever the
    number of tasks or cron runs that ask for it, and is sent at most once: a task first claims
    it (PENDING → SENDING), then records the outcome. Failures are retried with a growing delay,
    a bounded number of times, then shown to the mediator as « non remis ». No contact address
    is ever stored here: errors are kept as a class name and an SMTP code.
    """

    class Kind(models.TextChoices):
        CONFIRMED = "registration_confirmed", _("Confirmation d'inscription")
        PROMOTED = "registration_promoted", _("Place libérée")
        MOVED = "occurrence_moved", _("Changement de date")
        CANCELLED = "occurrence_cancelled", _("Annulation")
        RESTORED = "occurrence_restored", _("Date maintenue")
        REMINDER = "reminder", _("Rappel")
        MESSAGE = "message", _("Message de l'équipe")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        # Nobody sends it: it waits on the mediator's « À appeler » list until someone calls.
        CALL = "call", _("Appel")

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Remis")
        FAILED = "failed", _("Non remis")
        DROPPED = "dropped", _("Sans objet")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("message"), max_length=32, choices=Kind.choices)
    date_version = models.PositiveIntegerField(_("version de la date"))
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    error = models.CharField(_("erreur"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    message = models.ForeignKey(
        "events.RegistrantMessage",
        verbose_name=_("message de l'équipe"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    # A call: who told the household, and when (sent_at); attempts count the calls unanswered.
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prévenu·e par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message envoyé")
        verbose_name_plural = _("messages envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "date_version", "channel"],
                condition=Q(message__isnull=True),
                name="one_notice_per_version_and_channel",
            ),
            models.UniqueConstraint(
                fields=["registration", "message", "channel"],
                condition=Q(message__isnull=False),
                name="one_notice_per_message_and_channel",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.registration_id} v{self.date_version} ({self.status})"


class RegistrantMessage(models.Model):
    """What a mediator wrote to the people registered for one date: the text, not the people.

    Its notices say who it went to, by which channel, and whether it was delivered.
    """

    occurrence = models.ForeignKey(
        "events.Occurrence",
        verbose_name=_("date"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    # One writing sent to every date of an event shares a batch.
    batch = models.CharField(max_length=32, editable=False)
    subject = models.CharField(_("objet"), max_length=120)
    body = models.TextField(_("message"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("écrit par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("message aux inscrits")
        verbose_name_plural = _("messages aux inscrits")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["occurrence", "created_at"])]

    def __str__(self) -> str:
        return self.subject
