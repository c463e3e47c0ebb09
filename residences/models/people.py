"""The people tenants deal with: mediators and partner organisations."""

from django import forms
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from portal.models.mixins import AddressMixin, ContactMixin


class MediatorProfile(index.Indexed, ContactMixin, models.Model):
    first_name = models.CharField(_("prénom"), max_length=60)
    last_name = models.CharField(_("nom"), max_length=60)
    slug = models.SlugField(
        _("identifiant d'URL"),
        unique=True,
        allow_unicode=False,
        help_text=_(
            "Utilisé dans l'adresse du profil et du calendrier, par exemple « nadia-ben-ali »."
        ),
    )
    job_title = models.CharField(
        _("fonction"), max_length=100, default="Médiatrice sociale", blank=True
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("présentation"), blank=True, max_length=1000)
    sectors = models.ManyToManyField(
        "residences.SectorPage",
        verbose_name=_("secteurs couverts"),
        blank=True,
        related_name="mediators",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte d'administration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediator_profile",
        help_text=_("Le compte avec lequel cette personne se connecte à l'administration."),
    )

    panels = [
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        *ContactMixin.contact_panels,
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("user"),
    ]
    search_fields = [
        index.SearchField("first_name"),
        index.SearchField("last_name"),
        index.AutocompleteField("last_name"),
        index.FilterField("slug"),
    ]

    class Meta:
        verbose_name = _("médiateur ou médiatrice")
        verbose_name_plural = _("médiateurs et médiatrices")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("residences:mediator", kwargs={"slug": self.slug})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Partner(index.Indexed, AddressMixin, ContactMixin, models.Model):
    class Kind(models.TextChoices):
        TENANTS_ASSOCIATION = "amicale", _("Amicale ou association de locataires")
        SOCIAL_CENTRE = "centre_social", _("Centre social")
        TOWN_HALL = "mairie", _("Mairie")
        POLICE = "police", _("Police ou gendarmerie")
        SOCIAL_SERVICES = "services_sociaux", _("Services sociaux")
        ASSOCIATION = "association", _("Association")
        OTHER = "autre", _("Autre")

    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    website = models.URLField(_("site web"), blank=True)
    sectors = models.ManyToManyField(
        "residences.SectorPage",
        verbose_name=_("secteurs"),
        blank=True,
        related_name="partners",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("description"),
        *AddressMixin.address_panels,
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")],
            heading=_("Contact"),
        ),
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
