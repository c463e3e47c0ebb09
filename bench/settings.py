"""The bench server's settings: production, plus a plain Django view to compare pages with.

The plain view exists only here (bench/urls.py), never in production URLs.
"""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
