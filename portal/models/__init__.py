from .home import HomePage
from .settings import PortalSettings
from .standard import StandardPage

__all__ = ["HomePage", "PortalSettings", "StandardPage"]
