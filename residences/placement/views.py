"""« Où a lieu l'animation ? »: the step before Wagtail's add view, among the user's places.

The dashboard's « Nouvelle animation » (and « Nouvelle actualité », « Nouvelle permanence »)
comes here first, so a Les Tilleuls café is filed under Les Tilleuls, not under its sector.
Only page types that ask the question (`placement_question` on the model) are offered here.
Wagtail's add view keeps its own check (`can_add_subpage`): a forged parent is refused there too.
"""

from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from .places import Places, places_for


class PlaceForm(forms.Form):
    lieu = forms.TypedChoiceField(
        label=_("Lieu"),
        coerce=int,
        error_messages={
            "required": _("Choisissez où la page sera publiée."),
            "invalid_choice": _(
                "Ce lieu ne fait pas partie des vôtres : choisissez-en un de la liste."
            ),
        },
    )

    def __init__(self, places: Places, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lieu"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(pk, pk) for pk in sorted(places.ids())]


def page_model(app_label: str, model_name: str) -> type[Page]:
    """A page type that asks where it belongs; anything else is no such page (404)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if not (issubclass(model, Page) and getattr(model, "placement_question", None)):
        raise Http404
    return model


def choose_place(request: HttpRequest, app_label: str, model_name: str) -> HttpResponse:
    model = page_model(app_label, model_name)
    places = places_for(request.user, model)
    ids = places.ids()
    if not ids:
        raise PermissionDenied
    if len(ids) == 1:  # nothing to ask
        return redirect("wagtailadmin_pages:add", app_label, model_name, ids.pop())
    form = PlaceForm(places, request.POST if request.method == "POST" else None)
    if form.is_valid():
        parent = form.cleaned_data["lieu"]
        return redirect("wagtailadmin_pages:add", app_label, model_name, parent)
    context = {
        "form": form,
        "places": places,
        "question": model.placement_question,
        "model_name": model._meta.verbose_name,
        "chosen": form["lieu"].value(),
    }
    return TemplateResponse(request, "wagtailadmin_custom/choose_place.html", context)
