"""Validators for French addresses and contacts, with messages a mediator understands."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Metropolitan départements 01–95 (Corsica uses 20xxx), overseas 97x and 98x.
validate_postcode = RegexValidator(
    r"^(?:0[1-9]|[1-8]\d|9[0-5]|97|98)\d{3}\Z",
    _("Saisissez un code postal français de 5 chiffres, par exemple 59000."),
    code="invalid_postcode",
)


def validate_phone(value: str) -> None:
    """A phone number as people write it: 01 23 45 67 89, +33 1 23…, 0690 12 34 56 (overseas)."""
    from portal.phones import parse_phone

    if value:
        parse_phone(value)


def validate_latitude(value) -> None:
    if value is not None and not -90 <= value <= 90:
        raise ValidationError(
            _("La latitude doit être comprise entre -90 et 90 (par exemple 50.6292)."),
            code="invalid_latitude",
        )


def validate_longitude(value) -> None:
    if value is not None and not -180 <= value <= 180:
        raise ValidationError(
            _("La longitude doit être comprise entre -180 et 180 (par exemple 3.0573)."),
            code="invalid_longitude",
        )


def as_id(value) -> int | None:
    """A database id from user input, or None: ASCII digits below 2**63 only (a larger integer
    is an OverflowError on SQLite, and str.isdigit() also accepts « ² »)."""
    text = str(value or "")
    if text.isascii() and text.isdigit() and int(text) < 2**63:
        return int(text)
    return None
