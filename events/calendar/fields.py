"""A set of weekdays stored as "1,3" and edited as French checkboxes."""

from typing import Any

from django import forms
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

WEEKDAY_CHOICES = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]


class WeekdaysField(models.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(
        self, value: Any, expression: Any, connection: BaseDatabaseWrapper
    ) -> list[int]:
        return self.to_python(value)

    def to_python(self, value: Any) -> list[int]:
        if isinstance(value, list | tuple | set):
            return sorted({int(v) for v in value})
        if not value:
            return []
        return sorted({int(v) for v in str(value).split(",") if v.strip()})

    def get_prep_value(self, value: Any) -> str:
        return ",".join(str(v) for v in self.to_python(value))

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        for day in self.to_python(value):
            if day not in range(7):
                raise forms.ValidationError(_("Jour de la semaine inconnu."))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field:
        # Always these French checkboxes: the arguments Django or Wagtail pass are not used.
        return forms.TypedMultipleChoiceField(
            choices=WEEKDAY_CHOICES,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )
