from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Animations et permanences")

    def ready(self):
        from portal.cache import invalidate_on_change

        from .calendar import checks, signals  # noqa: F401
        from .models import EventCategory

        invalidate_on_change(EventCategory)
