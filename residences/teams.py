"""A sector's team: the groups, page and collection permissions, and the optional approval step.

« Médiateurs – <secteur> » create and edit events, news and permanences in the sector's subtree
(and publish them unless approval is required); « Responsables – <secteur> » also publish and
approve. Users, groups, sites and settings stay with the administrators (RELIABILITY.md).
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


@dataclass
class SectorTeam:
    mediators: Group
    managers: Group
    collection: Collection


def group_names(sector) -> tuple[str, str]:
    return f"Médiateurs – {sector.title}", f"Responsables – {sector.title}"


@transaction.atomic
def setup_sector_team(sector, require_approval: bool) -> SectorTeam:
    """Create or bring up to date the groups, permissions and workflow of one sector."""
    mediators_name, managers_name = group_names(sector)
    mediators, _ = Group.objects.get_or_create(name=mediators_name)
    managers, _ = Group.objects.get_or_create(name=managers_name)
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

    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=sector.title).first()
    if collection is None:
        collection = root.add_child(name=sector.title)
    for app_label, codename in MEDIA_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for group in (mediators, managers):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )

    set_approval(sector, managers, require_approval)
    return SectorTeam(mediators=mediators, managers=managers, collection=collection)


def set_approval(sector, managers: Group, required: bool) -> None:
    """With approval, a mediator's publish becomes a submission the sector's managers approve."""
    name = f"Validation – {sector.title}"
    if not required:
        WorkflowPage.objects.filter(page=sector, workflow__name=name).delete()
        return
    workflow, _ = Workflow.objects.get_or_create(name=name)
    task = GroupApprovalTask.objects.filter(
        name=f"Validation par les responsables – {sector.title}"
    ).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=f"Validation par les responsables – {sector.title}"
        )
    task.groups.set([managers])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=sector, defaults={"workflow": workflow})
