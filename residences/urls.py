from django.urls import path

from . import views

app_name = "residences"

urlpatterns = [
    path("mediateurs/<slug:slug>/", views.mediator_detail, name="mediator"),
]
