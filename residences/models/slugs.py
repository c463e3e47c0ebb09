"""Site-wide unique slugs: feed URLs such as /calendrier/residence/<slug>.ics name a page by slug."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class UniqueSlugMixin:
    """Refuse a slug already used by another live or draft page of the same type."""

    slug_taken_message = _("Cet identifiant d'URL est déjà utilisé ; choisissez-en un autre.")

    def clean(self):
        super().clean()
        clash = type(self).objects.filter(slug=self.slug)
        if self.pk:
            clash = clash.exclude(pk=self.pk)
        if self.slug and clash.exists():
            raise ValidationError({"slug": self.slug_taken_message})
