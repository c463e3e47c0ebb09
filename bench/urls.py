"""Production URLs plus `/bench/plain/`: the least a Django view costs through our middleware."""

from django.http import HttpResponse
from django.urls import include, path

PLAIN = "<!DOCTYPE html><html lang=fr><title>Bench</title><p>Bonjour</p></html>"


def plain(request):
    return HttpResponse(PLAIN)


urlpatterns = [path("bench/plain/", plain), path("", include("portal.urls"))]
