from django.urls import path

from . import views
from .calendar import feeds
from .registrations import views as signup_views

app_name = "events"

urlpatterns = [
    path("calendrier/evenements.ics", feeds.events_feed, name="events_feed"),
    path("calendrier/permanences.ics", feeds.permanences_feed, name="permanences_feed"),
    path("calendrier/residence/<slug:slug>.ics", feeds.residence_feed, name="residence_feed"),
    path(
        "calendrier/residence/<slug:slug>/permanences.ics",
        feeds.residence_permanences_feed,
        name="residence_permanences_feed",
    ),
    path("calendrier/secteur/<slug:slug>.ics", feeds.sector_feed, name="sector_feed"),
    path("calendrier/mediateur/<slug:slug>.ics", feeds.mediator_feed, name="mediator_feed"),
    path("calendrier/evenement/<int:page_id>.ics", feeds.series_ics, name="series_ics"),
    path("calendrier/date/<int:pk>.ics", feeds.occurrence_ics, name="occurrence_ics"),
    path("calendrier/aide/", views.subscription_help, name="subscription_help"),
    path("inscription/date/<int:occurrence_id>/", signup_views.signup, name="signup"),
    path("inscription/gerer/<str:token>/", signup_views.manage, name="manage"),
    # The same page, from a text message: « https://…/i/AbCd…/ ».
    path("i/<str:token>/", signup_views.manage, name="manage_short"),
    path(
        "permanences/imprimer/<slug:slug>/",
        views.printable_permanences,
        name="printable_permanences",
    ),
    path(
        "programme/imprimer/<slug:slug>/",
        views.printable_programme,
        name="printable_programme",
    ),
]
