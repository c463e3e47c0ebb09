"""Page forms offer only the user's places: their residences, the mediators and partners of
their sectors, the buildings of the page's residence.

Narrowing the querysets also refuses a forged id on POST (« Sélectionnez un choix valide »).
What the page already holds stays offered, so editing a page an administrator set up with
another sector's venue does not drop it silently.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


class PlaceChoicesForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_place_fields(self)

    def clean(self):
        slug = self.cleaned_data.get("slug")  # Wagtail's clean drops it when it is taken
        cleaned = super().clean()
        if slug and "slug" in self.errors and self.parent_page is not None:
            self._explain_taken_slug(slug)
        return cleaned

    def _explain_taken_slug(self, slug: str) -> None:
        """Wagtail's « Le slug '…' est déjà utilisé au niveau de la page parent » says neither
        by what nor what to do; most often it is the draft Wagtail's auto-save has just made of
        this very page (« Publier » clicked while it was saving, portal/page_saves.py)."""
        holder = (
            Page.objects.child_of(self.parent_page)
            .filter(slug=slug)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if holder is None:
            return
        user = getattr(self, "for_user", None)
        if user is not None and holder.permissions_for_user(user).can_edit():
            message = _(
                "L'adresse « %(slug)s » est déjà utilisée ici par « %(title)s »%(draft)s. Si "
                "c'est cette page, enregistrée automatiquement pendant que vous écriviez, "
                "ouvrez-la depuis la liste des pages pour la publier ; sinon, choisissez une "
                "autre adresse."
            ) % {
                "slug": slug,
                "title": holder.get_admin_display_title(),
                "draft": "" if holder.live else _(" (brouillon)"),
            }
        else:
            message = _(
                "L'adresse « %(slug)s » est déjà utilisée ici : choisissez-en une autre."
            ) % {"slug": slug}
        self.errors["slug"] = self.error_class([message])


def _current(value: Any) -> list:
    if value is None or value == "":
        return []
    values = value if isinstance(value, list | tuple | set) or hasattr(value, "all") else [value]
    if hasattr(values, "all"):
        values = values.all()
    return [getattr(item, "pk", item) for item in values]


def narrow_place_fields(form: WagtailAdminPageForm) -> None:
    # Imported here: residences.models imports this module for NewsPage's form.
    from residences.models import Building, MediatorProfile, Partner, ResidencePage

    from .places import covered_residences, covered_sectors

    user = getattr(form, "for_user", None)
    parent = form.parent_page.specific if form.parent_page is not None else None
    residence = parent if isinstance(parent, ResidencePage) else None
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        model = queryset.model
        if model is Building:
            # Buildings belong to the residence the page is filed under, for everyone.
            field.queryset = queryset.filter(residence=residence) if residence else queryset.none()
            continue
        if user is None or user.is_superuser:
            continue
        if issubclass(model, ResidencePage):
            mine = covered_residences(user)
        elif model is MediatorProfile:
            mine = MediatorProfile.objects.filter(sectors__in=covered_sectors(user))
        elif model is Partner:
            # Partners of no sector work with the whole landlord (a town hall, the police).
            mine = Partner.objects.filter(
                Q(sectors__in=covered_sectors(user)) | Q(sectors__isnull=True)
            )
        else:
            continue
        kept = _current(form.initial.get(name))
        field.queryset = queryset.filter(Q(pk__in=mine.values("pk")) | Q(pk__in=kept))
    # A new event under a residence takes place, by default, in its common room.
    adding = form.instance.pk is None
    if adding and residence is not None and "venue_residence" in form.fields:
        form.initial["venue_residence"] = form.initial.get("venue_residence") or residence.pk
