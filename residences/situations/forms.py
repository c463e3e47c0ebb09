"""Forms of the situations package: the tenant's request, and the mediator's forms.

Strict on the server: control characters are dropped, lengths are bounded, every choice is an
id among those the user may use, and each error is a French message at its field.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from django import forms
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.phones import PhoneField
from residences.models import Building, Partner, ResidencePage
from residences.situations.models import (
    Action,
    Category,
    HelpRequest,
    Household,
    IntensityLevel,
    Situation,
)

NO_PRIVATE_DETAILS = _(
    "N'écrivez pas d'information de santé, ni de détail sur la vie privée d'autres personnes : "
    "décrivez ce qui se passe, où et depuis quand."
)


def clean_text(value: str, *, one_line: bool = False) -> str:
    """No control characters (null bytes included); one line when the text goes in a list."""
    kept = "".join(
        char
        for char in value or ""
        if unicodedata.category(char)[0] != "C" or (char == "\n" and not one_line)
    )
    return " ".join(kept.split()) if one_line else kept.strip()


class IdChoiceField(forms.ModelChoiceField):
    """A choice by id: anything but a 64-bit id is an invalid choice, never a database error."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value)
            if not (text.isascii() and text.isdigit() and int(text) < 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


def residences_in(sector_ids) -> object:
    """The live residences of the given sectors."""
    from residences.models import SectorPage

    paths = SectorPage.objects.filter(pk__in=sector_ids).values_list("path", flat=True)
    inside = Q(pk__in=[])
    for path in paths:
        inside |= Q(path__startswith=path)
    return ResidencePage.objects.filter(inside).order_by("title")


# The tenant's request ------------------------------------------------------------------------


class HelpRequestForm(forms.Form):
    residence = IdChoiceField(
        label=_("Votre résidence"),
        queryset=ResidencePage.objects.none(),
        empty_label=_("— Choisissez votre résidence —"),
        error_messages={"required": _("Choisissez votre résidence.")},
    )
    building = IdChoiceField(
        label=_("Votre bâtiment"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("— Je ne sais pas —"),
    )
    category = forms.ChoiceField(
        label=_("De quoi s'agit-il ?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez ce qui correspond le mieux, ou « Autre ».")},
    )
    message = forms.CharField(
        label=_("Expliquez en quelques mots"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=NO_PRIVATE_DETAILS,
        error_messages={
            "required": _("Expliquez en quelques mots ce qui se passe."),
            "max_length": _(
                "2 000 caractères au plus : gardez l'essentiel, vous pourrez en dire plus au médiateur."
            ),
        },
    )
    first_name = forms.CharField(
        label=_("Votre prénom (facultatif)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    contact = forms.ChoiceField(
        label=_("Comment souhaitez-vous être contacté·e ?"),
        choices=HelpRequest.Contact.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites-nous comment vous joindre.")},
    )
    phone = PhoneField(
        label=_("Téléphone"),
        required=False,
        help_text=_("Si vous choisissez d'être appelé·e."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Si vous choisissez d'être contacté·e par e-mail."),
    )
    availability = forms.CharField(
        label=_("Quand vous joindre ? (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Par exemple « le matin », « après 18h », « pas le mercredi »."),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que ces informations soient lues par l'équipe de médiation de mon "
            "secteur, uniquement pour m'aider."
        ),
        error_messages={"required": _("Cochez cette case pour envoyer votre demande.")},
    )
    # Robots fill it in; anything in it refuses the whole form (see clean()).
    website = forms.CharField(required=False, label=_("Ne pas remplir"))

    def __init__(self, *args, residence: ResidencePage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_residence = residence
        residences = ResidencePage.objects.listed().order_by("title")
        # Buildings of the listed residences only (live and public): a residence under a view
        # restriction is not named on this public page.
        buildings = Building.objects.filter(
            residence__in=residences.order_by().values("pk")
        ).select_related("residence")
        if residence is not None:
            # The page the tenant came from names the residence: its buildings only.
            self.fields["residence"].queryset = residences.filter(pk=residence.pk)
            self.fields["residence"].initial = residence.pk
            self.fields["residence"].widget = forms.HiddenInput()
            self.fields["building"].queryset = buildings.filter(residence=residence).order_by(
                "sort_order", "pk"
            )
            self.fields["building"].label_from_instance = lambda b: b.name
        else:
            self.fields["residence"].queryset = residences
            self.fields["building"].queryset = buildings.order_by(
                "residence__title", "sort_order", "pk"
            )
            self.fields["building"].label_from_instance = lambda b: (
                f"{b.residence.title} – {b.name}"
            )
        self.fields["website"].validators = []

    def clean_message(self):
        message = clean_text(self.cleaned_data["message"])
        if not message:
            raise forms.ValidationError(_("Expliquez en quelques mots ce qui se passe."))
        return message

    def clean_first_name(self):
        return clean_text(self.cleaned_data.get("first_name", ""), one_line=True)

    def clean_availability(self):
        return clean_text(self.cleaned_data.get("availability", ""), one_line=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("Votre demande n'a pas pu être enregistrée."))
        contact = cleaned.get("contact")
        wanted = {
            HelpRequest.Contact.PHONE: (
                "phone",
                _("Indiquez un numéro pour que l'on vous rappelle."),
            ),
            HelpRequest.Contact.EMAIL: (
                "email",
                _("Indiquez une adresse e-mail pour que l'on vous réponde."),
            ),
        }.get(contact)
        if wanted and not cleaned.get(wanted[0]) and wanted[0] not in self.errors:
            self.add_error(*wanted)
        building, residence = cleaned.get("building"), cleaned.get("residence")
        if building and residence and building.residence_id != residence.pk:
            self.add_error("building", _("Ce bâtiment n'est pas dans la résidence choisie."))
        return cleaned


# The mediator's forms ------------------------------------------------------------------------


def not_in_future(day: date | None) -> None:
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("Cette date est dans le futur."))


class SituationForm(forms.ModelForm):
    residence = IdChoiceField(
        label=_("Résidence"), queryset=ResidencePage.objects.none(), empty_label=None
    )
    building = IdChoiceField(
        label=_("Bâtiment"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("— Plusieurs ou aucun —"),
    )
    intensity = IdChoiceField(
        label=_("Niveau d'intensité"), queryset=IntensityLevel.objects.none(), empty_label=None
    )

    class Meta:
        model = Situation
        fields = [
            "residence",
            "building",
            "category",
            "intensity",
            "opened_on",
            "description",
            "next_step",
            "next_step_on",
        ]
        widgets = {
            "opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_step_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "description": NO_PRIVATE_DETAILS,
            "next_step": _("Par exemple « rappeler M. au 3e », « réunion avec l'amicale »."),
        }

    def __init__(self, *args, sector_ids, **kwargs):
        super().__init__(*args, **kwargs)
        residences = residences_in(sector_ids)
        self.fields["residence"].queryset = residences
        self.fields["building"].queryset = (
            Building.objects.filter(residence__in=residences)
            .select_related("residence")
            .order_by("residence__title", "sort_order", "pk")
        )
        self.fields["building"].label_from_instance = lambda b: f"{b.residence.title} – {b.name}"
        self.fields["intensity"].queryset = IntensityLevel.objects.grid()
        self.fields["opened_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        # A callable default adds a hidden « initial » input; without it every save would
        # count the date as changed in the audit trail.
        self.fields["opened_on"].show_hidden_initial = False
        self.fields["next_step_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        if self.instance.pk and self.instance.is_closed:
            del self.fields["opened_on"]  # the closing date is checked against it

    def clean_description(self):
        return clean_text(self.cleaned_data.get("description", ""))

    def clean_next_step(self):
        return clean_text(self.cleaned_data.get("next_step", ""), one_line=True)

    def clean_opened_on(self):
        day = self.cleaned_data.get("opened_on")
        not_in_future(day)
        return day

    def clean(self):
        cleaned = super().clean()
        building, residence = cleaned.get("building"), cleaned.get("residence")
        if building and residence and building.residence_id != residence.pk:
            self.add_error("building", _("Ce bâtiment n'est pas dans la résidence choisie."))
        if cleaned.get("next_step_on") and not cleaned.get("next_step"):
            self.add_error("next_step", _("Dites quelle est la prochaine étape."))
        return cleaned


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["door", "label"]
        help_texts = {
            "door": _("Par exemple « B 3e gauche », « porte 12 »."),
            "label": _("Un prénom ou un rôle : « voisin du dessus », « Mme D. »."),
        }

    def clean_door(self):
        return clean_text(self.cleaned_data.get("door", ""), one_line=True)

    def clean_label(self):
        return clean_text(self.cleaned_data.get("label", ""), one_line=True)


HouseholdFormSet = forms.modelformset_factory(
    Household, form=HouseholdForm, extra=2, max_num=8, validate_max=True, can_delete=False
)


class ActionForm(forms.ModelForm):
    partner = IdChoiceField(
        label=_("Partenaire"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("— Aucun —"),
        help_text=_("Pour une orientation : le partenaire vers qui la situation est orientée."),
    )

    class Meta:
        model = Action
        fields = ["kind", "happened_on", "partner", "note"]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"note": NO_PRIVATE_DETAILS}

    def __init__(self, *args, situation: Situation, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("happened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.situation = situation
        self.fields["kind"].choices = [
            (value, label) for value, label in Action.Kind.choices if value in Action.LOGGABLE
        ]
        self.fields["happened_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["partner"].queryset = (
            Partner.objects.filter(Q(sectors=situation.sector_id) | Q(sectors__isnull=True))
            .distinct()
            .order_by("name")
        )

    def clean_note(self):
        return clean_text(self.cleaned_data.get("note", ""))

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        not_in_future(day)
        if day < self.situation.opened_on:
            raise forms.ValidationError(_("Cette date est avant l'ouverture de la situation."))
        return day

    def clean(self):
        cleaned = super().clean()
        referral = cleaned.get("kind") == Action.Kind.REFERRAL
        if referral and not cleaned.get("partner") and "partner" not in self.errors:
            self.add_error("partner", _("Choisissez le partenaire vers qui vous orientez."))
        if not referral:
            cleaned["partner"] = None
        return cleaned


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Issue"),
        choices=Situation.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez l'issue de la situation.")},
    )
    closed_on = forms.DateField(
        label=_("Date de clôture"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PRIVATE_DETAILS,
    )

    def __init__(self, *args, situation: Situation, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("closed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.situation = situation

    def clean_closed_on(self):
        day = self.cleaned_data["closed_on"]
        not_in_future(day)
        if day < self.situation.opened_on:
            raise forms.ValidationError(_("La clôture ne peut pas précéder l'ouverture."))
        last = self.situation.actions.aggregate(last=Max("happened_on"))["last"]
        if last is not None and day < last:
            # The journal reads in date order: a closing dated before its last line (a
            # reopening, a visit) would not end it, and would start the retention clock early.
            raise forms.ValidationError(
                _("La clôture ne peut pas précéder la dernière ligne du journal (%(day)s).")
                % {"day": f"{last:%d/%m/%Y}"}
            )
        return day

    def clean_note(self):
        return clean_text(self.cleaned_data.get("note", ""))


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Pourquoi rouvrir ? (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_note(self):
        return clean_text(self.cleaned_data.get("note", ""))


class AccessSearchForm(forms.Form):
    query = forms.CharField(
        label=_("Prénom, rôle ou référence de porte"),
        min_length=2,
        max_length=60,
        error_messages={"min_length": _("Deux caractères au moins.")},
    )

    def clean_query(self):
        query = clean_text(self.cleaned_data["query"], one_line=True)
        if len(query) < 2:
            raise forms.ValidationError(_("Deux caractères au moins."))
        return query


class NoticePreferenceForm(forms.Form):
    email_on_request = forms.BooleanField(
        label=_("Recevoir un e-mail à chaque nouvelle demande d'aide dans mes secteurs"),
        required=False,
        help_text=_(
            "L'e-mail donne la référence et la résidence, jamais le contenu de la demande."
        ),
    )
