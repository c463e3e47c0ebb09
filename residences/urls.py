from django.urls import path

from . import feeds, views

app_name = "residences"

urlpatterns = [
    path("mediateurs/<slug:slug>/", views.mediator_detail, name="mediator"),
    path("flux/actualites.xml", feeds.NewsFeed(), name="news_feed"),
    path("flux/actualites.atom", feeds.AtomNewsFeed(), name="news_atom"),
    path("flux/residence/<slug:slug>.xml", feeds.ResidenceNewsFeed(), name="residence_news_feed"),
]
