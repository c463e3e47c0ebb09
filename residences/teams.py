"""A sector's team: the groups, page and collection permissions, and the optional approval step.

« Médiateurs – <secteur> » create and edit events, news and permanences in the sector's subtree
(and publish them unless approval is required); « Responsables – <secteur> » also publish and
approve. Users, groups, sites and settings stay with the administrators (user-management rights
allow privilege escalation by design).

Documents: the sector's collection is private to its team (a Wagtail collection view restriction
of type « groups » for its two groups: anyone else, anonymous visitors included, is sent to the
login page, and the admin API leaves it out). Tenant-facing documents go to the team's second
collection, « Documents publics – <secteur> », left public. Wagtail's restrictions apply to
sub-collections too, so that one is a top-level sibling, not a child. Images are unaffected (their
files are served as they are, without any such check); only documents are.

The team is found through its SectorTeam row (identity by page), never by name: the names only
follow the sector's title, so a renamed sector keeps its members, permissions and images.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, models, transaction

from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from residences.models import SectorTeam

logger = logging.getLogger(__name__)

MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]

# SectorTeam field -> how the object is named after the sector's title.
NAMES = {
    "mediators": "Médiateurs – {}",
    "managers": "Responsables – {}",
    "collection": "{}",
    "public_collection": "Documents publics – {}",
    "workflow": "Validation – {}",
    "approval_task": "Validation par les responsables – {}",
}

__all__ = [
    "SectorTeam",
    "group_names",
    "keep_private",
    "rename_sector_team",
    "set_approval",
    "setup_sector_team",
]


def group_names(sector) -> tuple[str, str]:
    return expected_name("mediators", sector), expected_name("managers", sector)


def expected_name(field: str, sector) -> str:
    """The name the object should carry, cut to its column (PostgreSQL refuses longer ones)."""
    return NAMES[field].format(sector.title)[: _max_length(field)]


def _model(field: str) -> type[models.Model]:
    return SectorTeam._meta.get_field(field).related_model


def _max_length(field: str) -> int:
    return _model(field)._meta.get_field("name").max_length


def _namespace(field: str) -> models.QuerySet:
    """The objects a name must be unique among: all of them, or the top-level collections."""
    if field in ("collection", "public_collection"):
        return Collection.get_first_root_node().get_children()
    return _model(field).objects.all()


def _unowned(field: str, sector) -> models.QuerySet:
    """Objects no other sector's team holds (the NULLs left out: NOT IN (…, NULL) is empty)."""
    taken = (
        SectorTeam.objects.exclude(sector_id=sector.pk)
        .filter(**{f"{field}__isnull": False})
        .values(f"{field}_id")
    )
    return _namespace(field).exclude(pk__in=taken)


def _only(queryset: models.QuerySet):
    found = list(queryset.distinct()[:2])
    return found[0] if len(found) == 1 else None


def _adopt(team: SectorTeam, sector) -> bool:
    """Fill the team's empty places with existing objects: first by their name after the
    sector's current title, then by what ties them to the page (a sector renamed before
    SectorTeam existed). Returns whether anything was adopted."""
    adopted = False
    for field, template in NAMES.items():
        if getattr(team, f"{field}_id") is not None:
            continue
        candidates = _unowned(field, sector)
        found = candidates.filter(name=expected_name(field, sector)).first()
        if found is None:
            found = _only(_tied_to_the_page(field, candidates, team, sector, template))
        if found is not None:
            setattr(team, field, found)
            adopted = True
    return adopted


def _tied_to_the_page(field, candidates, team, sector, template) -> models.QuerySet:
    prefix = template.removesuffix("{}")
    if field in ("mediators", "managers"):
        return candidates.filter(name__startswith=prefix, page_permissions__page_id=sector.pk)
    if field in ("collection", "public_collection"):
        groups = [pk for pk in (team.mediators_id, team.managers_id) if pk is not None]
        held = candidates.filter(group_permissions__group_id__in=groups)
        public = NAMES["public_collection"].removesuffix("{}")
        if field == "public_collection":
            return held.filter(name__startswith=public)
        return held.exclude(name__startswith=public)
    if field == "workflow":
        return candidates.filter(name__startswith=prefix, workflow_pages__page_id=sector.pk)
    if team.workflow_id is None:
        return candidates.none()
    return candidates.filter(name__startswith=prefix, workflow_tasks__workflow_id=team.workflow_id)


def find_sector_team(sector, create: bool) -> SectorTeam | None:
    """The sector's team row, adopting existing objects into it; None if it has no team and
    ``create`` is false."""
    team = SectorTeam.objects.select_related(*NAMES).filter(
        sector_id=sector.pk
    ).first() or SectorTeam(sector_id=sector.pk)
    adopted = _adopt(team, sector)
    if team.pk is None and not (adopted or create):
        return None
    if team.pk is None or adopted:
        try:
            with transaction.atomic():
                team.save()
        except IntegrityError:
            # Another request created the row meanwhile: use theirs.
            existing = SectorTeam.objects.filter(sector_id=sector.pk).first()
            if existing is None:
                raise
            return existing
    return team


def _rename(team: SectorTeam, sector) -> None:
    """Names follow the sector's title. A name another object already carries is left alone
    (a warning says so): renaming must never break a publish."""
    for field in NAMES:
        obj = getattr(team, field)
        if obj is None:
            continue
        name = expected_name(field, sector)
        if obj.name == name:
            continue
        if _namespace(field).filter(name=name).exclude(pk=obj.pk).exists():
            _warn_kept(sector, field, obj)
            continue
        old_name, obj.name = obj.name, name
        try:
            with transaction.atomic():
                obj.save(update_fields=["name"])
        except IntegrityError:
            obj.name = old_name
            _warn_kept(sector, field, obj)


def _warn_kept(sector, field: str, obj) -> None:
    logger.warning(
        "Sector %s renamed: %s %s keeps its name, the new one is already taken.",
        sector.pk,
        _model(field)._meta.label,
        obj.pk,
    )


def _free_name(field: str, sector) -> str:
    """The expected name, or, if another team already uses it (two sectors with one title),
    the same followed by the sector's id."""
    name = expected_name(field, sector)
    if not _namespace(field).filter(name=name).exists():
        return name
    suffix = f" ({sector.pk})"
    logger.warning("Sector %s: a %s name is taken, suffixed with the id.", sector.pk, field)
    return name[: _max_length(field) - len(suffix)] + suffix


@transaction.atomic
def rename_sector_team(sector) -> SectorTeam | None:
    """After a publish: the team's names follow the sector's title. Creates nothing."""
    team = find_sector_team(sector, create=False)
    if team is not None:
        _rename(team, sector)
    return team


@transaction.atomic
def setup_sector_team(sector, require_approval: bool) -> SectorTeam:
    """Create or bring up to date the groups, permissions and workflow of one sector."""
    team = find_sector_team(sector, create=True)
    _rename(team, sector)
    for field in ("mediators", "managers"):
        if getattr(team, field) is None:
            setattr(team, field, Group.objects.create(name=_free_name(field, sector)))
    for field in ("collection", "public_collection"):
        if getattr(team, field) is None:
            setattr(
                team,
                field,
                Collection.get_first_root_node().add_child(name=_free_name(field, sector)),
            )
    team.save()
    mediators, managers = team.mediators, team.managers

    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for group in (mediators, managers):
        group.permissions.add(admin_access)

    mediator_types = ["add", "change", "lock", "unlock"] + ([] if require_approval else ["publish"])
    manager_types = ["add", "change", "lock", "unlock", "publish"]
    for group, types in ((mediators, mediator_types), (managers, manager_types)):
        GroupPagePermission.objects.filter(group=group, page=sector).exclude(
            permission__codename__in=[f"{t}_page" for t in types]
        ).delete()
        for permission_type in types:
            if not GroupPagePermission.objects.filter(
                group=group, page=sector, permission__codename=f"{permission_type}_page"
            ).exists():
                GroupPagePermission.objects.create(
                    group=group, page=sector, permission_type=permission_type
                )

    for app_label, codename in MEDIA_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for group in (mediators, managers):
            for collection in (team.collection, team.public_collection):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
    keep_private(team.collection, [mediators, managers])

    set_approval(sector, team, require_approval)
    return team


def keep_private(collection: Collection, groups: list[Group]) -> None:
    """The sector's documents are served to its team only (and to administrators). A
    restriction an administrator set instead (login, password) is kept as it is: it is not
    public either; a « groups » one gets the team's groups added, never any removed."""
    restrictions = CollectionViewRestriction.objects.filter(collection=collection)
    if not restrictions.exists():
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.set(groups)
        return
    for restriction in restrictions.filter(restriction_type=CollectionViewRestriction.GROUPS):
        restriction.groups.add(*groups)


def set_approval(sector, team: SectorTeam, required: bool) -> None:
    """With approval, a mediator's publish becomes a submission the sector's managers approve.
    Switched off, the sector leaves its workflow, which is kept for when it is switched back."""
    if not required:
        if team.workflow_id is not None:
            WorkflowPage.objects.filter(page_id=sector.pk, workflow_id=team.workflow_id).delete()
        return
    if team.workflow is None:
        team.workflow = Workflow.objects.create(name=expected_name("workflow", sector))
    if team.approval_task is None:
        team.approval_task = GroupApprovalTask.objects.create(
            name=expected_name("approval_task", sector)
        )
    team.save(update_fields=["workflow", "approval_task"])
    team.approval_task.groups.set([team.managers])
    WorkflowTask.objects.get_or_create(
        workflow=team.workflow, task=team.approval_task, defaults={"sort_order": 0}
    )
    WorkflowPage.objects.update_or_create(page_id=sector.pk, defaults={"workflow": team.workflow})
