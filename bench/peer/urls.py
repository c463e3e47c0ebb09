"""The peer's whole-calendar iCal feed, as django-scheduler's own URLconf names it."""

from django.urls import include, path

urlpatterns = [path("", include("schedule.urls"))]
