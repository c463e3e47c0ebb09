"""Build a realistic demo landlord; idempotent, and safe on a flushed database."""

from django.core.management.base import BaseCommand
from django.db import transaction

from events import demo as events_demo
from portal import demo as portal_demo
from residences import demo as residences_demo
from residences.situations import demo as situations_demo


class Command(BaseCommand):
    help = "Crée les données de démonstration (Habitat Solidaire). Peut être relancée sans risque."

    @transaction.atomic
    def handle(self, *args, **options):
        portal_demo.ensure_admin()
        home = portal_demo.ensure_home_and_settings()
        residences_demo.build(home)
        residences_demo.build_news(home)
        residences_demo.build_teams()
        situations_demo.build_situations()
        events_demo.build(home)
        events_demo.build_permanences(home)
        events_demo.build_registrations()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
