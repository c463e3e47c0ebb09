from .index import ResidenceIndexPage
from .news import NewsIndexPage, NewsPage
from .people import MediatorProfile, Partner
from .residence import Building, ResidencePage
from .sector import SectorPage
from .team import SectorTeam

__all__ = [
    "Building",
    "MediatorProfile",
    "NewsIndexPage",
    "NewsPage",
    "Partner",
    "ResidenceIndexPage",
    "ResidencePage",
    "SectorPage",
    "SectorTeam",
]

# Situations (mediation follow-up) live in their own package; imported here so the app
# registers them.
from residences.situations.audit import AuditEntry  # noqa: E402
from residences.situations.models import (  # noqa: E402
    Action,
    HelpRequest,
    Household,
    IntensityLevel,
    NoticePreference,
    Situation,
)

__all__ += [
    "Action",
    "AuditEntry",
    "HelpRequest",
    "Household",
    "IntensityLevel",
    "NoticePreference",
    "Situation",
]
