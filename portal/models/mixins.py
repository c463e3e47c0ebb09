"""Abstract field groups shared by page models, each carrying its own admin panels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from portal.validators import validate_phone, validate_postcode


class AddressMixin(models.Model):
    """A postal address in France."""

    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(
        _("code postal"), max_length=5, blank=True, validators=[validate_postcode]
    )
    town = models.CharField(_("commune"), max_length=100, blank=True)

    address_panels = [
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
            ],
            heading=_("Adresse"),
        )
    ]

    class Meta:
        abstract = True

    @property
    def full_address(self) -> str:
        town_line = " ".join(part for part in (self.postcode, self.town) if part)
        return ", ".join(part for part in (self.address, town_line) if part)


class ContactMixin(models.Model):
    """A public telephone number and e-mail address."""

    phone = models.CharField(_("téléphone"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("adresse e-mail"), blank=True)

    contact_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("phone"), FieldPanel("email")])],
            heading=_("Contact"),
        )
    ]

    class Meta:
        abstract = True
