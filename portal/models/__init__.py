from .home import HomePage
from .settings import PortalSettings
from .standard import StandardPage
from .throttle import RateLimitHit

__all__ = ["HomePage", "PortalSettings", "RateLimitHit", "StandardPage"]
