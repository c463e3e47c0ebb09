from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidencesConfig(AppConfig):
    name = "residences"
    verbose_name = _("Secteurs et résidences")

    def ready(self):
        from django.db.models.signals import post_save

        from portal.cache import invalidate_on_change
        from portal.models import PortalSettings

        from .approval import apply_approval_setting
        from .models import MediatorProfile, Partner

        invalidate_on_change(MediatorProfile, Partner)
        post_save.connect(
            apply_approval_setting, sender=PortalSettings, dispatch_uid="residences-approval"
        )
