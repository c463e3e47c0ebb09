"""Public views of the residences app that are not Wagtail pages."""

from django.shortcuts import get_object_or_404, render

from .models import MediatorProfile, ResidencePage


def mediator_detail(request, slug: str):
    mediator = get_object_or_404(
        MediatorProfile.objects.select_related("photo").prefetch_related("sectors"), slug=slug
    )
    residences = ResidencePage.objects.listed().filter(mediators=mediator)
    return render(
        request,
        "pages/mediator_detail.html",
        {"mediator": mediator, "residences": residences, "sectors": mediator.sectors.live()},
    )
