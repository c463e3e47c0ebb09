"""The tenant's sign-up and change forms: short, forgiving, and strict on the server."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.phones import PhoneField, parse_phone
from residences.models import Building, ResidencePage

MAX_PEOPLE = 10


def clean_text(value: str) -> str:
    """No control characters (null bytes included) in what tenants type."""
    return "".join(
        char for char in value if unicodedata.category(char)[0] != "C" or char in "\n"
    ).strip()


class IdChoiceField(forms.ModelChoiceField):
    """A choice by id: anything but a 64-bit id is an invalid choice, never a database error
    (SQLite raises OverflowError on a larger integer, which Django lets through as a 500)."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value)
            if not (text.isascii() and text.isdigit() and int(text) < 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )
        return super().to_python(value)


class PartyFields(forms.Form):
    adults = forms.IntegerField(
        label=_("Nombre d'adultes"),
        min_value=0,
        max_value=MAX_PEOPLE,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    children = forms.IntegerField(
        label=_("Nombre d'enfants"),
        min_value=0,
        max_value=MAX_PEOPLE,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        if not page.children_allowed:
            del self.fields["children"]

    def clean(self):
        cleaned = super().clean()
        adults, children = cleaned.get("adults") or 0, cleaned.get("children") or 0
        cleaned["children"] = children
        if "adults" in cleaned and adults + children == 0:
            self.add_error("adults", _("Indiquez au moins une personne."))
        elif "adults" in cleaned and adults == 0:
            self.add_error(
                "adults", _("Indiquez au moins un adulte : les enfants viennent accompagnés.")
            )
        return cleaned


class SignupForm(PartyFields):
    first_name = forms.CharField(
        label=_("Votre prénom"),
        max_length=60,
        help_text=_("Le prénom suffit (ou prénom et initiale du nom)."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    residence = IdChoiceField(
        label=_("Votre résidence"),
        queryset=ResidencePage.objects.none(),
        required=False,
        empty_label=_("— Je préfère ne pas le dire —"),
    )
    building = IdChoiceField(
        label=_("Votre bâtiment"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("— Je ne sais pas —"),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Pour recevoir la confirmation et le lien pour modifier ou annuler."),
    )
    phone = PhoneField(
        label=_("Ou téléphone"),
        required=False,
        help_text=_(
            "Si vous n'avez pas d'e-mail : l'équipe vous prévient par SMS ou vous appelle en "
            "cas de changement."
        ),
    )
    sms = forms.BooleanField(
        label=_("Je souhaite recevoir un SMS (confirmation, changement, rappel la veille)"),
        required=False,
        help_text=_("Sur un téléphone portable. Vous pourrez arrêter les SMS à tout moment."),
    )
    allergies = forms.CharField(label=_("Allergies alimentaires"), required=False, max_length=300)
    mobility = forms.CharField(
        label=_("Besoins d'accessibilité (fauteuil, aide…)"), required=False, max_length=300
    )
    consent = forms.BooleanField(
        label=_("J'accepte que ces informations servent uniquement à organiser cette animation."),
        error_messages={"required": _("Cochez cette case pour vous inscrire.")},
    )
    # A field people never see: robots fill it in. Anything in it, even a null byte, is refused
    # as a whole in clean(): an error on a hidden field would be a message nobody can see.
    website = forms.CharField(required=False, label=_("Ne pas remplir"))

    field_order = [
        "first_name",
        "adults",
        "children",
        "residence",
        "building",
        "email",
        "phone",
        "sms",
        "allergies",
        "mobility",
        "consent",
    ]

    def __init__(self, *args, page, residence=None, **kwargs):
        super().__init__(*args, page=page, **kwargs)
        self.fields["residence"].queryset = ResidencePage.objects.listed()
        self.fields["building"].queryset = (
            Building.objects.filter(residence__live=True)
            .select_related("residence")
            .order_by("residence__title", "sort_order")
        )
        self.fields["building"].label_from_instance = lambda b: f"{b.residence.title} – {b.name}"
        if residence is not None:
            self.fields["residence"].initial = residence.pk
            # The date is in one residence: its buildings only, not every building of the landlord.
            self.fields["building"].queryset = self.fields["building"].queryset.filter(
                residence=residence
            )
            self.fields["building"].label_from_instance = lambda b: b.name
        if not page.ask_allergies:
            del self.fields["allergies"]
        if not page.ask_mobility:
            del self.fields["mobility"]
        self.fields["website"].validators = []

    def clean_first_name(self):
        # One line: a name ends up in e-mails, where a line break could pass for a header.
        name = " ".join(clean_text(self.cleaned_data["first_name"]).split())
        if not name:
            raise forms.ValidationError(_("Indiquez votre prénom."))
        return name

    def clean_allergies(self):
        return clean_text(self.cleaned_data.get("allergies", ""))

    def clean_mobility(self):
        return clean_text(self.cleaned_data.get("mobility", ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("Votre inscription n'a pas pu être enregistrée."))
        contact_in_error = "email" in self.errors or "phone" in self.errors
        if not cleaned.get("email") and not cleaned.get("phone") and not contact_in_error:
            self.add_error(
                "email",
                _(
                    "Indiquez un e-mail ou un numéro de téléphone pour que nous puissions vous prévenir."
                ),
            )
        clean_sms_choice(self, cleaned)
        building, residence = cleaned.get("building"), cleaned.get("residence")
        if building and residence and building.residence_id != residence.pk:
            self.add_error("building", _("Ce bâtiment n'est pas dans la résidence choisie."))
        return cleaned


def clean_sms_choice(form, cleaned) -> None:
    """SMS need a mobile number: say so at the field that has to change."""
    if not cleaned.get("sms") or "phone" in form.errors:
        return
    phone = cleaned.get("phone")
    if not phone:
        form.add_error("sms", _("Indiquez un numéro de portable pour recevoir des SMS."))
    elif not parse_phone(phone).is_mobile:
        form.add_error(
            "phone",
            _(
                "Ce numéro est un téléphone fixe : il ne reçoit pas de SMS. Donnez un numéro de "
                "portable, ou décochez la case SMS (l'équipe vous appellera)."
            ),
        )


class ChangePartyForm(PartyFields):
    pass
