"""Site-wide settings an administrator edits in the admin: the landlord, its legal pages, and
who must use two-step verification."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from portal.validators import validate_phone


@register_setting(icon="home")
class PortalSettings(BaseSiteSetting):
    organisation_name = models.CharField(
        _("nom du bailleur"), max_length=120, default="Habitat Solidaire"
    )
    tagline = models.CharField(
        _("accroche"),
        max_length=200,
        blank=True,
        default="Le portail de la vie des résidences",
    )
    contact_phone = models.CharField(
        _("téléphone du service médiation"), max_length=30, blank=True, validators=[validate_phone]
    )
    contact_email = models.EmailField(_("e-mail du service médiation"), blank=True)
    require_approval = models.BooleanField(
        _("les médiateurs soumettent leurs publications à validation"),
        default=False,
        help_text=_(
            "Sinon, ils publient directement. Appliqué à tous les secteurs dès l'enregistrement."
        ),
    )
    require_two_factor_for_mediators = models.BooleanField(
        _("Exiger la vérification en deux étapes pour les médiateurs"),
        default=False,
        help_text=_(
            "Les administrateurs et les responsables de secteur la font toujours. Sinon, un "
            "médiateur peut l'activer depuis son compte (« Vérification en deux étapes »)."
        ),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page « Accessibilité »"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page « Mentions légales »"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page « Données personnelles »"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation_name"), FieldPanel("tagline")], heading=_("Bailleur")
        ),
        MultiFieldPanel(
            [FieldPanel("contact_phone"), FieldPanel("contact_email")],
            heading=_("Contact"),
        ),
        FieldPanel("require_approval"),
        FieldPanel("require_two_factor_for_mediators"),
        MultiFieldPanel(
            [
                FieldPanel("accessibility_page"),
                FieldPanel("legal_page"),
                FieldPanel("privacy_page"),
            ],
            heading=_("Pages du pied de page"),
        ),
    ]

    class Meta:
        verbose_name = _("réglages du portail")
