"""Set up (or bring up to date) a sector's groups, permissions, collection and approval."""

from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site

from portal.models import PortalSettings
from residences.models import SectorPage
from residences.teams import setup_sector_team


class Command(BaseCommand):
    help = "Crée les groupes Médiateurs et Responsables d'un secteur, leurs droits et leur médiathèque."

    def add_arguments(self, parser):
        parser.add_argument(
            "slug", nargs="?", help="Identifiant du secteur ; tous les secteurs sans argument."
        )

    def handle(self, *args, slug=None, **options):
        sectors = SectorPage.objects.all()
        if slug:
            sectors = sectors.filter(slug=slug)
            if not sectors.exists():
                raise CommandError(f"Aucun secteur « {slug} ».")
        site = Site.objects.filter(is_default_site=True).first()
        require_approval = PortalSettings.for_site(site).require_approval if site else False
        for sector in sectors:
            team = setup_sector_team(sector, require_approval)
            self.stdout.write(
                f"{sector.title} : « {team.mediators.name} », « {team.managers.name} »."
            )
