"""A mediator's situations: the intensity grid, the situation, the households it involves, its
journal of actions, tenants' requests for help and each team member's notice preference.

Personal details (a door reference, a first name or role, free text, a contact) are erased by
`retention.erase_expired` a set time after closing; the rest (category, intensity, residence,
dates, outcome, kinds of action) stays for the anonymous figures. Nothing here is a Wagtail
page or an indexed model: situations never reach the site search, the caches or the feeds.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Six characters without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), as registrations have.
REFERENCE_ALPHABET = "ACDEFGHJKMNPRTUVWXY34679"


def _new_reference(model: type[models.Model], prefix: str) -> str:
    while True:
        reference = prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not model._default_manager.filter(reference=reference).exists():
            return reference


def new_request_reference() -> str:
    """« D-K7MX3P »: read out on the phone, tells a request from a situation."""
    return _new_reference(HelpRequest, "D-")


def new_situation_reference() -> str:
    return _new_reference(Situation, "S-")


class Category(models.TextChoices):
    """What it is about, in the tenant's words (a short plain list, and « autre »)."""

    NOISE = "bruit", _("Bruit")
    COMMON_AREAS = "parties_communes", _("Parties communes (hall, escaliers, caves, parking)")
    INCIVILITY = "incivilites", _("Incivilités, dégradations")
    ANIMALS = "animaux", _("Animaux")
    RUBBISH = "dechets", _("Déchets, encombrants")
    DISPUTE = "conflit", _("Dispute entre voisins")
    WORRY = "inquietude", _("Inquiétude pour un voisin (isolement, personne âgée)")
    OTHER = "autre", _("Autre")


class IntensityLevelQuerySet(models.QuerySet):
    def grid(self) -> IntensityLevelQuerySet:
        """The landlord's grid, lowest level first; the default grid if it is empty (a fresh
        or flushed database)."""
        if not self.exists():
            for level, label, response, attention in DEFAULT_GRID:
                IntensityLevel.objects.get_or_create(
                    level=level,
                    defaults={
                        "label": label,
                        "response": response,
                        "needs_manager": attention,
                    },
                )
        return self.all().order_by("level")


DEFAULT_GRID = [
    (1, "Gêne", "Écoute, rappel des règles de vie, suivi par le médiateur.", False),
    (2, "Conflit", "Rencontre de chaque ménage, proposition d'une médiation.", False),
    (
        3,
        "Conflit grave ou danger",
        "Le ou la responsable est informé·e ; orientation vers un partenaire si besoin.",
        True,
    ),
]


class IntensityLevel(models.Model):
    """One level of the landlord's grid (« grille de gradation »), edited by administrators."""

    level = models.PositiveSmallIntegerField(_("niveau"), unique=True)
    label = models.CharField(_("intitulé"), max_length=80)
    response = models.TextField(_("réponse prévue"), blank=True, max_length=500)
    needs_manager = models.BooleanField(
        _("demande l'attention du responsable"),
        default=False,
        help_text=_("Les situations de ce niveau sont signalées aux responsables du secteur."),
    )

    objects = IntensityLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("niveau d'intensité")
        verbose_name_plural = _("grille d'intensité")
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.level} – {self.label}"


class SituationQuerySet(models.QuerySet):
    def open(self) -> SituationQuerySet:
        return self.filter(closed_on__isnull=True)

    def closed(self) -> SituationQuerySet:
        return self.filter(closed_on__isnull=False)

    def in_sectors(self, sector_ids) -> SituationQuerySet:
        return self.filter(sector_id__in=sector_ids)

    def needing_a_manager(self) -> SituationQuerySet:
        return self.open().filter(intensity__needs_manager=True)


class Situation(models.Model):
    """A case the mediator follows until it is resolved (« situation », « dossier »)."""

    class Outcome(models.TextChoices):
        DIALOGUE = "dialogue", _("Reprise du dialogue")
        AGREEMENT = "accord", _("Accord amiable")
        REFERRED = "oriente", _("Orienté vers un partenaire")
        NO_FOLLOW_UP = "sans_suite", _("Sans suite")
        FAILURE = "echec", _("Échec")

    reference = models.CharField(
        _("référence"), max_length=8, unique=True, editable=False, default=new_situation_reference
    )
    # The sector is kept as it was when the situation was opened: it decides who sees it.
    sector = models.ForeignKey(
        "residences.SectorPage",
        verbose_name=_("secteur"),
        on_delete=models.PROTECT,
        related_name="situations",
    )
    residence = models.ForeignKey(
        "residences.ResidencePage",
        verbose_name=_("résidence"),
        on_delete=models.PROTECT,
        related_name="situations",
    )
    building = models.ForeignKey(
        "residences.Building",
        verbose_name=_("bâtiment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    intensity = models.ForeignKey(
        IntensityLevel,
        verbose_name=_("niveau d'intensité"),
        on_delete=models.PROTECT,
        related_name="situations",
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    next_step = models.CharField(_("prochaine étape"), blank=True, max_length=200)
    next_step_on = models.DateField(_("date de la prochaine étape"), null=True, blank=True)
    opened_on = models.DateField(_("ouverte le"), default=timezone.localdate)
    closed_on = models.DateField(_("clôturée le"), null=True, blank=True)
    outcome = models.CharField(_("issue"), max_length=20, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    erased_at = models.DateTimeField(_("données personnelles effacées le"), null=True, blank=True)

    objects = SituationQuerySet.as_manager()

    class Meta:
        verbose_name = _("situation")
        verbose_name_plural = _("situations")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="situation_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, outcome="")
                | (models.Q(closed_on__isnull=False) & ~models.Q(outcome="")),
                name="situation_outcome_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Household(models.Model):
    """A household involved, described minimally: a door or flat reference, a first name or a
    role (« voisin du dessus »), nothing more."""

    situation = models.ForeignKey(Situation, on_delete=models.PROTECT, related_name="households")
    door = models.CharField(_("porte ou logement"), max_length=40, blank=True)
    label = models.CharField(_("prénom ou rôle"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ménage concerné")
        verbose_name_plural = _("ménages concernés")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return " – ".join(part for part in (self.door, self.label) if part) or "—"


class Action(models.Model):
    """One line of the journal: what was done, when, by whom. Closing and reopening are lines
    too, so the journal keeps every outcome a situation had."""

    class Kind(models.TextChoices):
        VISIT = "visite", _("Visite")
        CALL = "appel", _("Appel")
        LETTER = "courrier", _("Courrier")
        HOUSEHOLD_MEETING = "rencontre", _("Rencontre avec un ménage")
        MEDIATION_MEETING = "mediation", _("Réunion de médiation")
        REFERRAL = "orientation", _("Orientation vers un partenaire")
        CLOSED = "cloture", _("Clôture")
        REOPENED = "reouverture", _("Réouverture")

    # What a person logs; CLOSED and REOPENED are written by closing and reopening.
    LOGGABLE = [
        Kind.VISIT,
        Kind.CALL,
        Kind.LETTER,
        Kind.HOUSEHOLD_MEETING,
        Kind.MEDIATION_MEETING,
        Kind.REFERRAL,
    ]

    situation = models.ForeignKey(Situation, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, max_length=1000)
    partner = models.ForeignKey(
        "residences.Partner",
        verbose_name=_("partenaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(
        _("issue"), max_length=20, choices=Situation.Outcome.choices, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("journal des actions")
        ordering = ["happened_on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.happened_on:%d/%m/%Y})"


class HelpRequestQuerySet(models.QuerySet):
    def waiting(self) -> HelpRequestQuerySet:
        """Requests nobody has turned into a situation or set aside yet."""
        return self.filter(situation__isnull=True, set_aside_at__isnull=True)

    def in_sectors(self, sector_ids) -> HelpRequestQuerySet:
        return self.filter(sector_id__in=sector_ids)


class HelpRequest(models.Model):
    """« Demander l'aide d'un médiateur », sent by a tenant without an account."""

    class Contact(models.TextChoices):
        PHONE = "telephone", _("Par téléphone")
        EMAIL = "email", _("Par e-mail")
        PERMANENCE = "permanence", _("Je passerai à la permanence")

    reference = models.CharField(
        _("référence"), max_length=8, unique=True, editable=False, default=new_request_reference
    )
    sector = models.ForeignKey(
        "residences.SectorPage",
        verbose_name=_("secteur"),
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    residence = models.ForeignKey(
        "residences.ResidencePage",
        verbose_name=_("résidence"),
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    building = models.ForeignKey(
        "residences.Building",
        verbose_name=_("bâtiment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    message = models.TextField(_("message"), max_length=2000)
    first_name = models.CharField(_("prénom"), max_length=60, blank=True)
    contact = models.CharField(_("être joint"), max_length=20, choices=Contact.choices)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    availability = models.CharField(_("quand le ou la joindre"), max_length=200, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"))
    received_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    situation = models.OneToOneField(
        Situation,
        verbose_name=_("situation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request",
    )
    set_aside_at = models.DateTimeField(_("classée le"), null=True, blank=True)
    set_aside_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("classée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    erased_at = models.DateTimeField(_("données personnelles effacées le"), null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'aide")
        verbose_name_plural = _("demandes d'aide")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def phone_display(self) -> str:
        """« 06 12 34 56 78 », as the team dials it."""
        from portal.phones import phone_or_none

        number = phone_or_none(self.phone) if self.phone else None
        return number.display if number else self.phone


class NoticePreference(models.Model):
    """Whether a team member wants an e-mail for each tenant's request in their sectors (the
    dashboard shows them either way)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="situation_notices"
    )
    email_on_request = models.BooleanField(
        _("recevoir un e-mail à chaque nouvelle demande d'aide"), default=False
    )

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_on_request}"
