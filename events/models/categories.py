"""The editable list of event categories (fête, atelier, sortie…)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel


class EventCategory(models.Model):
    name = models.CharField(_("nom"), max_length=60, unique=True)
    slug = models.SlugField(
        _("identifiant d'URL"),
        unique=True,
        help_text=_("Utilisé dans les filtres de l'agenda, par exemple « atelier »."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("catégorie d'animation")
        verbose_name_plural = _("catégories d'animation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
