"""Who sees a situation: the team of its sector, and nobody else.

A sector's team is its two groups (residences.teams): « Médiateurs – <secteur> » and
« Responsables – <secteur> ». Membership of those groups, not page permissions, decides: a
user given rights on a page by another group (an editor, a partner) sees no situation.
Administrators (superusers) see every sector, as managers, by the existing rule.

Every view of the package goes through `Team.of(request.user)`; anything outside the user's
sectors is a 404, the same answer as a situation that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from portal.validators import as_id
from residences.models import SectorPage, SectorTeam
from residences.situations.models import HelpRequest, Situation


@dataclass(frozen=True)
class Team:
    """The sectors a user works in, and in which of them they are a manager."""

    sector_ids: frozenset[int]
    managed_ids: frozenset[int]

    @classmethod
    def of(cls, user) -> Team:
        if not user.is_authenticated or not user.is_active:
            return cls(frozenset(), frozenset())
        if user.is_superuser:
            every = frozenset(SectorPage.objects.values_list("pk", flat=True))
            return cls(every, every)
        groups = set(user.groups.values_list("pk", flat=True))
        rows = SectorTeam.objects.filter(
            Q(mediators_id__in=groups) | Q(managers_id__in=groups)
        ).values_list("sector_id", "managers_id")
        sectors, managed = set(), set()
        for sector_id, managers_id in rows:
            sectors.add(sector_id)
            if managers_id in groups:
                managed.add(sector_id)
        return cls(frozenset(sectors), frozenset(managed))

    @property
    def is_member(self) -> bool:
        return bool(self.sector_ids)

    @property
    def is_manager(self) -> bool:
        return bool(self.managed_ids)

    def manages(self, sector_id: int) -> bool:
        return sector_id in self.managed_ids

    def situations(self):
        return Situation.objects.in_sectors(self.sector_ids)

    def requests(self):
        return HelpRequest.objects.in_sectors(self.sector_ids)

    def situation(self, situation_id) -> Situation:
        """The situation if it is in the user's sectors, else 404 (as if it did not exist)."""
        found = (
            self.situations()
            .select_related("sector", "residence", "building", "intensity")
            .filter(pk=as_id(situation_id) or 0)
            .first()
        )
        if found is None:
            raise Http404
        return found

    def help_request(self, request_id) -> HelpRequest:
        found = (
            self.requests()
            .select_related("sector", "residence", "building", "situation")
            .filter(pk=as_id(request_id) or 0)
            .first()
        )
        if found is None:
            raise Http404
        return found

    def require_member(self) -> None:
        if not self.is_member:
            raise PermissionDenied

    def require_manager(self, sector_id: int | None = None) -> None:
        allowed = self.is_manager if sector_id is None else self.manages(sector_id)
        if not allowed:
            raise PermissionDenied

    def sectors(self):
        return SectorPage.objects.filter(pk__in=self.sector_ids).order_by("path")
