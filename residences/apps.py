from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidencesConfig(AppConfig):
    name = "residences"
    verbose_name = _("Secteurs et résidences")

    def ready(self):
        from portal.cache import invalidate_on_change

        from .models import MediatorProfile, Partner

        invalidate_on_change(MediatorProfile, Partner)
