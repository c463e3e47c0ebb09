"""The « Bilan des situations » fragment, for pages of another app (the activity report).

The report places `{% situations_report_section request.user sector.sector period.first
period.last %}`: this package decides the figures and who may see them (the sector's team).
"""

from django import template

from residences.situations import figures as compute
from residences.situations.access import Team

register = template.Library()


@register.inclusion_tag("residences/situations/report_section.html")
def situations_report_section(user, sector, first, last):
    team = Team.of(user)
    if sector is None or sector.pk not in team.sector_ids:
        return {"figures": None}
    return {"figures": compute.compute([sector.pk], first, last), "label": sector.title}
