from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Site

        from portal.cache import connect_page_signals, invalidate_on_change
        from portal.models import PortalSettings

        # Pages reach their own tags (view restrictions included); the rest is every page's frame.
        connect_page_signals()
        invalidate_on_change(PortalSettings, Site, get_image_model(), get_document_model())
