"""Phone numbers: read as people write them, kept in one form (E.164), told mobile from landline.

French numbers are written nationally (« 06 12 34 56 78 », « 0690 12 34 56 ») without saying
whether they belong to the metropole or an overseas department, so each French numbering area
is tried in turn (Google's libphonenumber metadata, through the `phonenumbers` package). Some
overseas landlines (0263, 0268, 0269 in La Réunion and Mayotte, 0596 in Martinique, 05 98…)
are also valid metropolitan numbers in that metadata: a landline valid overseas is taken as
the overseas one, as its area's own plan says. Numbers written with their country code
(« +590 690… », « +44 … ») are taken as written. Letters are never read as digits (« 06 12 AB
CD EF » is no number), only ignored around the digits (« Tél. 06 12 34 56 78 »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The metropole, then Guadeloupe, Martinique, Guyane, La Réunion, Mayotte, Saint-Pierre-et-
# Miquelon, Saint-Barthélemy and Saint-Martin.
FRENCH_AREAS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")
# Numbers that take text messages; 09 numbers (VoIP boxes) and landlines do not.
TEXTABLE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
INVALID = _("Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78.")


@dataclass(frozen=True)
class Phone:
    e164: str
    is_mobile: bool
    area: str

    @property
    def display(self) -> str:
        """« 06 12 34 56 78 » for a French number, « +44 7911 123456 » for another."""
        number = phonenumbers.parse(self.e164)
        if self.area in FRENCH_AREAS:
            return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def parse_phone(raw: str) -> Phone:
    """The number as written by a person; ValidationError (in French) when it is not one."""
    text = (raw or "").strip()
    if not text or len(text) > 30:
        raise ValidationError(INVALID, code="invalid_phone")
    areas = (None,) if text.startswith("+") or text.startswith("00") else FRENCH_AREAS
    if text.startswith("00"):
        text = "+" + text[2:]
    found = [number for number in (_read(text, area) for area in areas) if number is not None]
    if not found:
        raise ValidationError(INVALID, code="invalid_phone")
    number = found[0]
    if phonenumbers.number_type(number) == PhoneNumberType.FIXED_LINE:
        # A landline the metropole's metadata also claims: the overseas area's, if it has it.
        number = next(
            (
                other
                for other in found[1:]
                if phonenumbers.number_type(other) == PhoneNumberType.FIXED_LINE
            ),
            number,
        )
    return Phone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        is_mobile=phonenumbers.number_type(number) in TEXTABLE,
        area=phonenumbers.region_code_for_number(number) or "",
    )


def _read(text: str, area: str | None) -> phonenumbers.PhoneNumber | None:
    """The number as valid in `area` (None: from its country code), else None."""
    try:
        number = phonenumbers.parse(text, area)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    # phonenumbers reads letters as on a keypad (« AB » → 22): the digits must be the person's.
    if str(number.national_number) not in re.sub(r"\D", "", text):
        return None
    return number


def phone_or_none(stored: str) -> Phone | None:
    """A stored number read back (E.164, or as typed by older versions); None if unreadable."""
    try:
        return parse_phone(stored)
    except ValidationError:
        return None


def normalise_phone(raw: str) -> str:
    """The E.164 form to store; empty stays empty."""
    return parse_phone(raw).e164 if (raw or "").strip() else ""


class PhoneField(forms.CharField):
    """A phone number as people write it; cleaned to E.164, with the error at the field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_phone(super().to_python(value))
