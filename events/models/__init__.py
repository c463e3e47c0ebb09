from .agenda import AgendaPage
from .categories import EventCategory
from .event import EventException, EventPage
from .occurrence import Occurrence, SeriesVersion
from .permanence import ClosurePeriod, PermanenceException, PermanenceIndexPage, PermanencePage
from .registration import ManageLink, Registration, RegistrationSettingsMixin, SeatCounter
from .schedule_fields import SchedulePageMixin

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
    "Registration",
    "RegistrationSettingsMixin",
    "SeatCounter",
    "SchedulePageMixin",
    "SeriesVersion",
]
