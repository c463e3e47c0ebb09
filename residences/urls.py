from django.urls import path

from portal.cache import cached_response

from . import feeds, views
from .situations.urls import public_urlpatterns as situation_urls

cached = cached_response()

app_name = "residences"

urlpatterns = [
    path("mediateurs/<slug:slug>/", views.mediator_detail, name="mediator"),
    path("flux/actualites.xml", cached(feeds.NewsFeed()), name="news_feed"),
    path("flux/actualites.atom", cached(feeds.AtomNewsFeed()), name="news_atom"),
    path(
        "flux/residence/<slug:slug>.xml",
        cached(feeds.ResidenceNewsFeed()),
        name="residence_news_feed",
    ),
]
urlpatterns += situation_urls
