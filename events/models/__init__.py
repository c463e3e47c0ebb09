from .agenda import AgendaPage
from .categories import EventCategory
from .event import EventException, EventPage
from .occurrence import Occurrence, SeriesVersion
from .schedule_fields import SchedulePageMixin

__all__ = [
    "AgendaPage",
    "EventCategory",
    "EventException",
    "EventPage",
    "Occurrence",
    "SchedulePageMixin",
    "SeriesVersion",
]
