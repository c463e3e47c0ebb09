"""Who read or changed what, and when: an append-only record, shown to the sector's managers.

An entry names the user, the moment, the verb and the situation or request; for a change, the
names of the fields changed, never their values (the record outlives the erasure of personal
details, so it must hold none). Rows are never updated or deleted through the ORM.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The situations' audit trail is append-only.")

    def delete(self):
        raise AppendOnlyError("The situations' audit trail is append-only.")

    def in_sectors(self, sector_ids) -> AuditQuerySet:
        return self.filter(sector_id__in=sector_ids)


class AuditEntry(models.Model):
    class Verb(models.TextChoices):
        READ = "lecture", _("Consultation")
        CREATE = "creation", _("Création")
        UPDATE = "modification", _("Modification")
        LOG = "journal", _("Action ajoutée au journal")
        CLOSE = "cloture", _("Clôture")
        REOPEN = "reouverture", _("Réouverture")
        CONVERT = "transformation", _("Demande transformée en situation")
        SET_ASIDE = "classement", _("Demande classée")
        EXPORT = "export", _("Export")
        ACCESS_SEARCH = "droit_acces", _("Recherche pour un droit d'accès")
        ERASE = "effacement", _("Effacement des données personnelles")

    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(_("quoi"), max_length=20, choices=Verb.choices)
    # Kept on the row: who may read the entry does not depend on a situation still existing.
    sector = models.ForeignKey(
        "residences.SectorPage",
        verbose_name=_("secteur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    situation = models.ForeignKey(
        "residences.Situation",
        verbose_name=_("situation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit",
    )
    help_request = models.ForeignKey(
        "residences.HelpRequest",
        verbose_name=_("demande"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit",
    )
    # Field names, a count, a view name: never a value a person typed.
    detail = models.CharField(_("détail"), max_length=200, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("trace d'accès")
        verbose_name_plural = _("traces d'accès")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The situations' audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The situations' audit trail is append-only.")


def record(
    user,
    verb: str,
    *,
    sector_id: int,
    situation=None,
    help_request=None,
    situation_id: int | None = None,
    help_request_id: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """One entry (``user`` None for the scheduled erasure)."""
    return AuditEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        verb=verb,
        sector_id=sector_id,
        situation_id=situation.pk if situation is not None else situation_id,
        help_request_id=help_request.pk if help_request is not None else help_request_id,
        detail=detail[:200],
    )


def changed_fields(form) -> str:
    """« catégorie, niveau d'intensité »: the labels of what a form changed."""
    return ", ".join(str(form.fields[name].label) for name in form.changed_data)
