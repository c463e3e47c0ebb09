from .index import ResidenceIndexPage
from .people import MediatorProfile, Partner
from .residence import Building, ResidencePage
from .sector import SectorPage

__all__ = [
    "Building",
    "MediatorProfile",
    "Partner",
    "ResidenceIndexPage",
    "ResidencePage",
    "SectorPage",
]
