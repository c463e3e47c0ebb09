"""The « Bilan des situations » fragment, for pages of another app (the activity report), and
the audit details in the reader's language.

The report places `{% situations_report_section request.user sector.sector period.first
period.last %}`: this package decides the figures and who may see them (the sector's team).
"""

from django import template
from django.utils.text import capfirst
from django.utils.translation import gettext

from residences.situations import figures as compute
from residences.situations.access import Team

register = template.Library()


@register.inclusion_tag("residences/situations/report_section.html")
def situations_report_section(user, sector, first, last):
    team = Team.of(user)
    if sector is None or sector.pk not in team.sector_ids:
        return {"figures": None}
    return {"figures": compute.compute([sector.pk], first, last), "label": sector.title}


@register.filter
def audit_detail(text: str) -> str:
    """A stored audit detail (French: « Catégorie, Niveau d'intensité », « Accord amiable »)
    in the reader's language, part by part; what has no translation is shown as stored."""
    shown = []
    for part in text.split(", "):
        translated = gettext(part)
        if translated == part and part[:1].isupper():
            lowered = part[0].lower() + part[1:]  # form labels are capitalised verbose names
            if gettext(lowered) != lowered:
                translated = capfirst(gettext(lowered))
        shown.append(translated)
    return ", ".join(shown)
