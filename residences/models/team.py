"""A sector's team, by identity: which groups, collection and workflow belong to which page.

The names of those objects follow the sector's title, but they are found through these keys,
so renaming a sector renames its team instead of splitting it. The keys live in
their own table, not on SectorPage: publishing a revision rewrites every field of the page.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.signals import page_published

from .sector import SectorPage


class SectorTeam(models.Model):
    # A deleted sector takes its identity row with it; its groups and collection stay, as
    # they did before this table existed (an administrator decides what to do with them).
    sector = models.OneToOneField(
        SectorPage, verbose_name=_("secteur"), on_delete=models.CASCADE, related_name="team"
    )
    # SET_NULL rather than PROTECT: an administrator may delete a group, a collection or a
    # workflow in the admin (PROTECT would turn that into an error page), and the next
    # setup_sector_team recreates the missing piece under the sector's current name.
    # One-to-one: an object belongs to one team at most, so adoption by name never shares it.
    mediators = models.OneToOneField(
        "auth.Group",
        verbose_name=_("groupe des médiateurs"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    managers = models.OneToOneField(
        "auth.Group",
        verbose_name=_("groupe des responsables"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("médiathèque"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Sector documents are private to the team (a view restriction on `collection`); this one,
    # a top-level sibling since Wagtail's restrictions apply to sub-collections too, is public:
    # for the documents meant for tenants (residences.teams).
    public_collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("documents publics"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Only when approval is (or was) required; kept when it is switched off, to be reused.
    workflow = models.OneToOneField(
        "wagtailcore.Workflow",
        verbose_name=_("circuit de validation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approval_task = models.OneToOneField(
        "wagtailcore.GroupApprovalTask",
        verbose_name=_("étape de validation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("équipe de secteur")
        verbose_name_plural = _("équipes de secteur")

    def __str__(self):
        return str(self.sector)


def follow_the_sector_title(sender, instance, **kwargs):
    """A published rename renames the team. Connected here, at model import, rather than in
    wagtail_hooks (loaded lazily), so that it also runs for scheduled publishing, workflow
    approvals and code that publishes a revision."""
    from residences.teams import rename_sector_team

    rename_sector_team(instance)


page_published.connect(
    follow_the_sector_title, sender=SectorPage, dispatch_uid="residences_follow_sector_title"
)
