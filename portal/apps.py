from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import PageViewRestriction, Site

        from portal.cache import connect_page_signals, invalidate_on_change
        from portal.models import PortalSettings

        connect_page_signals()
        # A view restriction changes what visitors may read, like a publish.
        invalidate_on_change(
            PortalSettings, Site, PageViewRestriction, get_image_model(), get_document_model()
        )
