from events.calendar.models import Occurrence, SeriesVersion
from events.calendar.schedule_fields import SchedulePageMixin
from events.permanences.index import PermanenceIndexPage
from events.permanences.models import (
    ClosurePeriod,
    PermanenceException,
    PermanencePage,
)
from events.registrations.models import (
    ManageLink,
    Notice,
    RegistrantMessage,
    Registration,
    RegistrationSettingsMixin,
    SeatCounter,
)

from .agenda import AgendaPage
from .categories import EventCategory
from .event import EventException, EventPage

__all__ = [
    "AgendaPage",
    "ClosurePeriod",
    "EventCategory",
    "EventException",
    "EventPage",
    "Occurrence",
    "PermanenceException",
    "PermanenceIndexPage",
    "PermanencePage",
    "ManageLink",
    "Notice",
    "Registration",
    "RegistrantMessage",
    "RegistrationSettingsMixin",
    "SeatCounter",
    "SchedulePageMixin",
    "SeriesVersion",
]
