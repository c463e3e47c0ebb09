from django.urls import path

from . import feeds

app_name = "events"

urlpatterns = [
    path("calendrier/evenements.ics", feeds.events_feed, name="events_feed"),
    path("calendrier/evenement/<int:page_id>.ics", feeds.series_ics, name="series_ics"),
    path("calendrier/date/<int:pk>.ics", feeds.occurrence_ics, name="occurrence_ics"),
]
