"""RSS and Atom feeds of the news, with Django's syndication framework."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from .models import NewsPage, ResidencePage

LIMIT = 30
PARIS = ZoneInfo("Europe/Paris")


class NewsFeed(Feed):
    title = "Actualités des résidences"
    description = "Travaux, informations pratiques, vie des résidences et réunions."

    def link(self):
        return "/actualites/"

    def items(self):
        return NewsPage.objects.listed()[:LIMIT]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return datetime.combine(item.date, time(8), tzinfo=PARIS)

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.get_category_display()]


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


class ResidenceNewsFeed(NewsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(ResidencePage.objects.listed(), slug=slug)

    def title(self, residence):
        return f"Actualités – {residence.title}"

    def link(self, residence):
        return residence.url

    def items(self, residence):
        return NewsPage.objects.listed().for_residence(residence)[:LIMIT]
