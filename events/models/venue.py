"""Where an event or a permanence takes place."""

from typing import TYPE_CHECKING, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

if TYPE_CHECKING:
    from residences.models import Partner, ResidencePage


class VenueFields(Protocol):
    """Where a page takes place, on the model or on a lean line of its columns."""

    @property
    def venue_name(self) -> str: ...
    @property
    def venue_address(self) -> str: ...
    @property
    def venue_partner_id(self) -> int | None: ...
    @property
    def venue_partner(self) -> "Partner | None": ...
    @property
    def venue_residence(self) -> "ResidencePage | None": ...


def venue_label_of(page: VenueFields) -> str:
    """« Salle commune, Les Tilleuls », a partner's name, or the place typed in."""
    if page.venue_name:
        return page.venue_name
    if page.venue_partner_id and page.venue_partner is not None:
        return page.venue_partner.name
    residence = page.venue_residence
    if residence is None:
        return ""
    room = residence.common_room_name or "Salle commune"
    return f"{room}, {residence.title}"


def venue_address_of(page: VenueFields) -> str:
    """The address of the venue (the room's place in the residence first)."""
    if page.venue_address or page.venue_name:
        return page.venue_address
    if page.venue_partner_id and page.venue_partner is not None:
        return page.venue_partner.full_address
    residence = page.venue_residence
    if residence is None:
        return ""
    parts = [residence.common_room_location, residence.full_address]
    return " – ".join(p for p in parts if p)


class VenueMixin(models.Model):
    """Where it happens: a residence's common room, or a free address."""

    venue_residence = models.ForeignKey(
        "residences.ResidencePage",
        verbose_name=_("dans la salle commune de la résidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    venue_partner = models.ForeignKey(
        "residences.Partner",
        verbose_name=_("dans les locaux du partenaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    venue_name = models.CharField(
        _("autre lieu"),
        max_length=150,
        blank=True,
        help_text=_("Par exemple « Parc Barbieux » ; laissez vide si c'est la salle commune."),
    )
    venue_address = models.CharField(_("adresse du lieu"), max_length=255, blank=True)
    access_details = models.TextField(
        _("accès"),
        blank=True,
        max_length=500,
        help_text=_("Accès de plain-pied, ascenseur, point de rendez-vous…"),
    )

    venue_panels = [
        MultiFieldPanel(
            [
                FieldPanel("venue_residence", widget=forms.Select),
                FieldPanel("venue_partner", widget=forms.Select),
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldPanel("access_details"),
            ],
            heading=_("Lieu"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if not (self.venue_residence_id or self.venue_partner_id or self.venue_name):
            message = _(
                "Choisissez la salle commune d'une résidence, les locaux d'un partenaire "
                "ou indiquez un lieu."
            )
            raise ValidationError({"venue_name": message})

    @property
    def venue_label(self) -> str:
        return venue_label_of(self)

    @property
    def venue_full_address(self) -> str:
        return venue_address_of(self)
