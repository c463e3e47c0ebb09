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
