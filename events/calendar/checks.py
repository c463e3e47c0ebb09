"""System checks of the calendar settings: a wrong region would silently open holidays."""

from django.conf import settings
from django.core import checks

from events.calendar.holidays import REGIONS


@checks.register(checks.Tags.compatibility)
def check_holidays_region(app_configs, **kwargs):
    region = settings.PUBLIC_HOLIDAYS_REGION
    if region in REGIONS:
        return []
    return [
        checks.Error(
            f"PUBLIC_HOLIDAYS_REGION={region!r} is not a known region.",
            hint="One of: " + ", ".join(REGIONS),
            id="events.E001",
        )
    ]
