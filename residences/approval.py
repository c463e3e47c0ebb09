"""The « require approval » site setting takes effect when it is saved, in every sector."""

from django.db import transaction


def apply_approval_setting(sender, instance, **kwargs) -> None:
    """Saving the setting brings every sector's team in line (permissions and workflow)."""
    from residences.models import SectorPage
    from residences.teams import setup_sector_team

    def apply():
        for sector in SectorPage.objects.all():
            setup_sector_team(sector, instance.require_approval)

    transaction.on_commit(apply)
