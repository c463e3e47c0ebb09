"""French typography for dates and times: « 1er décembre », « 14h30 », « mardi 8 décembre »."""

import re
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import override

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FIRST = re.compile(rf"(?<![\d])1 ({MONTHS})\b")


def first_of_month(text: str) -> str:
    """« 1 décembre » → « 1er décembre » (the French ordinal for the first of a month only)."""
    return FIRST.sub(r"1er \1", text)


def french_date(value: date | datetime, fmt: str = "l j F Y") -> str:
    """A date in French with Django's format codes, the first of the month as « 1er »."""
    with override("fr"):
        return first_of_month(date_format(value, fmt))
