"""What a user sees of the Wagtail admin: their sectors, nothing of the others (issue #15, item 4).

One rule, written once:

- a **page** is shown to a user who may edit it; to find their way to it, the pages above it are
  shown too (Wagtail's « explorable » pages: the home page and the root, never another sector);
- an **image or document** is shown to a user with a permission on its collection (choose or
  change, Wagtail's collection permission policies).

Administrators (superusers) see everything. Wagtail's own views mostly follow this rule already;
where they do not, we use Wagtail's extension points (registered in residences/wagtail_hooks.py):

- bulk actions (`register_bulk_action`): our subclasses of Wagtail's page, image and document
  actions replace them; the pages the user may not edit are left out of the confirmation page (a
  404 when nothing is left), and a bulk move only accepts a destination the user may see;
- the move confirmation (`before_move_page`, which runs on GET too): refused unless the user may
  move that page there, and a copy (`before_copy_page`) only to a page the user may see;
- the admin API (`construct_admin_api`): images and documents filtered by collection permission;
- the page chooser (`construct_page_chooser_queryset`, already there for the children listed).

Some views have no extension point: the page chooser's browse step (it shows the parent page it
was given, whatever its id), the chooser's « chosen multiple » step (titles of any ids), the
workflow views (their « not awaiting moderation » message names any page), the « page types
usage » report (counts and the last edited page, drafts included, site-wide) and the workflow
reports (their filters list every sector's workflow, task and requester). For those,
`guard_wagtail_views` wraps or replaces the view by URL name (GUARDS), the way Wagtail decorates
its own admin URLs (`wagtail.utils.urlpatterns.decorate_urlpatterns`), before Wagtail adds its
admin-access check around it.

Documents are served by Wagtail's view, which honours collection privacy: see
residences.teams (each sector's collection is restricted to its team, and a second collection
« Documents publics – <secteur> » is left public for the documents meant for tenants).
"""

from __future__ import annotations

import functools

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import URLPattern, URLResolver

from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

MEDIA_ACTIONS = ["choose", "change"]


# The rule -------------------------------------------------------------------------------------


def editable_pages(user) -> QuerySet:
    """The pages the user may edit (every page for an administrator)."""
    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")


def visible_pages(user) -> QuerySet:
    """The pages the user may see in the admin: those they may edit, and the pages above them."""
    return PagePermissionPolicy().explorable_instances(user)


def may_see_page(user, page_id) -> bool:
    """`page_id` as it came (a URL or form value): anything but digits is no page."""
    if user.is_superuser:
        return True
    return str(page_id).isdigit() and visible_pages(user).filter(pk=page_id).exists()


def usable_media(user, model) -> QuerySet:
    """The images or documents (per `model`) whose collection the user may use."""
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, MEDIA_ACTIONS)


# Bulk actions ---------------------------------------------------------------------------------


class ScopedBulkActionMixin:
    """Only the objects the user may see reach the action: the others are not listed (not even
    under « you don't have permission »), a request for none of them is a 404, and « all »
    (`?id=all&childOf=…`) means all of those the user may see."""

    def visible_objects(self) -> QuerySet:
        user = self.request.user
        if user.is_superuser:
            return self.model._default_manager.all()
        if issubclass(self.model, Page):
            return self.model._default_manager.filter(pk__in=editable_pages(user).values("pk"))
        return usable_media(user, self.model)

    # Wagtail declares it a classmethod, but always calls it through the instance.
    def get_queryset(self, model, object_ids):
        ids = [pk for pk in object_ids if isinstance(pk, int) or str(pk).isdigit()]
        found = list(self.visible_objects().filter(pk__in=ids))
        if not found:
            raise Http404
        return found


class ScopedMoveMixin:
    """A bulk move only to a page the user may see: another sector's title is never echoed in
    « cannot be moved to … »."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        chosen = kwargs.get("data", {}).get("chooser")
        # Refused before the form: its chooser widget would show the page chosen, even invalid.
        if chosen and not user.is_superuser and not may_see_page(user, chosen):
            raise PermissionDenied
        return kwargs


def scoped_bulk_actions() -> list[type]:
    """Subclasses of Wagtail's page, image and document bulk actions, to register after them
    (same action type: the registry keeps the last one)."""
    from wagtail.admin.views.pages.bulk_actions import (
        DeleteBulkAction,
        MoveBulkAction,
        PublishBulkAction,
        UnpublishBulkAction,
    )
    from wagtail.documents.views.bulk_actions import (
        AddTagsBulkAction as AddTagsToDocumentsBulkAction,
    )
    from wagtail.documents.views.bulk_actions import (
        AddToCollectionBulkAction as AddDocumentsToCollectionBulkAction,
    )
    from wagtail.documents.views.bulk_actions import DeleteBulkAction as DeleteDocumentsBulkAction
    from wagtail.images.views.bulk_actions import AddTagsBulkAction as AddTagsToImagesBulkAction
    from wagtail.images.views.bulk_actions import (
        AddToCollectionBulkAction as AddImagesToCollectionBulkAction,
    )
    from wagtail.images.views.bulk_actions import DeleteBulkAction as DeleteImagesBulkAction

    originals = [
        DeleteBulkAction,
        MoveBulkAction,
        PublishBulkAction,
        UnpublishBulkAction,
        AddTagsToImagesBulkAction,
        AddImagesToCollectionBulkAction,
        DeleteImagesBulkAction,
        AddTagsToDocumentsBulkAction,
        AddDocumentsToCollectionBulkAction,
        DeleteDocumentsBulkAction,
    ]
    scoped = []
    for original in originals:
        mixins = (ScopedMoveMixin,) if original is MoveBulkAction else ()
        name = f"Scoped{original.__module__.split('.')[1].title()}{original.__name__}"
        # type(original): Wagtail's bulk actions are ABCs, keep their metaclass.
        scoped.append(
            type(original)(
                name, (ScopedBulkActionMixin, *mixins, original), {"__module__": __name__}
            )
        )
    return scoped


# Move confirmation ----------------------------------------------------------------------------


def refuse_foreign_move(request, page, destination):
    """`before_move_page` runs on the confirmation's GET as on its POST: without this, the GET
    shows any page's title (drafts included) and the destination's."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


def refuse_foreign_copy_destination(request, page):
    """`before_copy_page`: a copy only to a page the user may see. Wagtail's form would answer
    « You do not have permission to copy to page "<its title>" » (and its chooser shows it)."""
    user = request.user
    destination = request.POST.get("new_parent_page", "") if request.method == "POST" else ""
    if destination and not user.is_superuser and not may_see_page(user, destination):
        raise PermissionDenied


# Choosers -------------------------------------------------------------------------------------


def choose_within_own_sectors(pages, request):
    """`construct_page_chooser_queryset`: the chooser lists only the pages the user may see."""
    if request.user.is_superuser:
        return pages
    return pages.filter(pk__in=visible_pages(request.user).values("pk"))


def _browse_guard(view):
    """The chooser's browse step shows the page it is given as the parent: 404 for a page the
    user may not see. Without an id, Wagtail starts from the common ancestor of all pages of the
    requested type, which may sit in another sector: start from the user's own instead."""

    @functools.wraps(view)
    def guarded(request, *args, parent_page_id=None, **kwargs):
        user = request.user
        if not user.is_superuser:
            if parent_page_id is not None:
                if not may_see_page(user, parent_page_id):
                    raise Http404
            elif request.GET.get("page_type"):
                parent_page_id = _visible_common_ancestor(user, request.GET["page_type"])
        if parent_page_id is not None:
            kwargs["parent_page_id"] = parent_page_id
        return view(request, *args, **kwargs)

    return guarded


def _visible_common_ancestor(user, page_type: str) -> int | None:
    from wagtail.admin.views.chooser import page_models_from_string

    try:
        models = page_models_from_string(page_type)
    except (ValueError, LookupError):
        return None  # Wagtail answers 404 itself
    pages = Page.objects.type(*models).filter(pk__in=visible_pages(user).values("pk"))
    if not pages.exists():
        return Page.get_first_root_node().pk
    return pages.first_common_ancestor().pk


def _chosen_guard(view):
    """The « chosen » step returns the title and URL of every id it is given: 404 unless the
    user may see them all."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if not user.is_superuser:
            ids = request.GET.getlist("id")
            if not all(pk.isdigit() for pk in ids):
                raise Http404
            wanted = set(ids)
            if visible_pages(user).filter(pk__in=wanted).count() != len(wanted):
                raise Http404
        return view(request, *args, **kwargs)

    return guarded


# Page types usage -----------------------------------------------------------------------------


class ScopedPageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's report, counted over the pages the user may edit: no other sector's page is
    counted, and the « last edited » page is one of the user's own."""

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if user.is_superuser:
            return queryset
        cleaned = self.filters.form.cleaned_data
        language_code, site_root_path = cleaned.get("page_locale"), cleaned.get("site")
        latest_filter, count_filter = {}, {}
        if language_code:
            latest_filter["locale__language_code"] = language_code
            count_filter["pages__locale__language_code"] = language_code
        if site_root_path:
            latest_filter["path__startswith"] = site_root_path
            count_filter["pages__path__startswith"] = site_root_path
        editable = editable_pages(user).values("pk")
        latest = Page.objects.filter(
            content_type=OuterRef("pk"), pk__in=editable, **latest_filter
        ).order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
        # Same annotation names as Wagtail's, replaced: the template reads them.
        return queryset.annotate(
            count=Count("pages", filter=Q(pages__pk__in=editable, **count_filter)),
            last_edited_page_id=Subquery(latest.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")


# Workflows ------------------------------------------------------------------------------------


def _may_review(user, page_id) -> bool:
    """A reviewer of the page's current task may act on it without edit rights (Wagtail)."""
    page = Page.objects.filter(pk=page_id).first()
    state = page.current_workflow_task_state if page is not None else None
    return bool(state and state.task.specific.get_actions(page, user))


def _page_guard(view):
    """Workflow views take any page id: their « not awaiting moderation » message names the
    page (its latest draft title), the cancellation step its workflow and task. 404 unless the
    user may see the page or review it."""

    @functools.wraps(view)
    def guarded(request, *args, page_id, **kwargs):
        user = request.user
        if not (user.is_superuser or may_see_page(user, page_id) or _may_review(user, page_id)):
            raise Http404
        return view(request, *args, page_id=page_id, **kwargs)

    return guarded


def _own_workflows(request) -> QuerySet:
    """The workflows of the pages the user may see (the sector's, or one above it)."""
    from wagtail.models import Workflow

    if request.user.is_superuser:
        return Workflow.objects.all()
    visible = visible_pages(request.user).values("pk")
    return Workflow.objects.filter(workflow_pages__page__in=visible).distinct()


def _own_tasks(request) -> QuerySet:
    from wagtail.models import Task

    if request.user.is_superuser:
        return Task.objects.all()
    return Task.objects.filter(workflow_tasks__workflow__in=_own_workflows(request)).distinct()


def _own_requesters(request) -> QuerySet:
    """Who asked for approval of a page the user may edit (not every sector's staff)."""
    from django.contrib.auth import get_user_model

    from wagtail.admin.views.reports.workflows import get_editable_page_ids_query
    from wagtail.models import WorkflowState, get_default_page_content_type

    User = get_user_model()
    states = WorkflowState.objects.all()
    if not request.user.is_superuser:
        states = states.filter(
            base_content_type=get_default_page_content_type(),
            object_id__in=get_editable_page_ids_query(request),
        )
    return User.objects.filter(pk__in=states.values("requested_by")).order_by(User.USERNAME_FIELD)


def _scoped_workflow_reports():
    """Wagtail's workflow reports list only states of pages the user may edit, but their
    filters offer every workflow, task and requester: « Validation – <another sector> »."""
    from wagtail.admin.views.reports.workflows import (
        WorkflowReportFilterSet,
        WorkflowTasksReportFilterSet,
        WorkflowTasksView,
        WorkflowView,
    )

    # Wagtail's filters (labels, widgets) kept; only their choices narrowed (each instance has
    # its own copies of the filters).
    class ScopedWorkflowReportFilterSet(WorkflowReportFilterSet):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.filters["workflow"].queryset = _own_workflows
            self.filters["requested_by"].queryset = _own_requesters

    class ScopedWorkflowTasksReportFilterSet(WorkflowTasksReportFilterSet):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.filters["workflow"].queryset = _own_workflows
            self.filters["task"].queryset = _own_tasks

    class ScopedWorkflowView(WorkflowView):
        filterset_class = ScopedWorkflowReportFilterSet

    class ScopedWorkflowTasksView(WorkflowTasksView):
        filterset_class = ScopedWorkflowTasksReportFilterSet

    return ScopedWorkflowView, ScopedWorkflowTasksView


ScopedWorkflowView, ScopedWorkflowTasksView = _scoped_workflow_reports()


def _replace_with(new_view):
    def replace(view):
        return new_view

    return replace


# URL name -> what wraps (or replaces) Wagtail's view.
GUARDS = {
    "wagtailadmin_choose_page": _browse_guard,
    "wagtailadmin_choose_page_child": _browse_guard,
    "wagtailadmin_choose_page_chosen_multiple": _chosen_guard,
    "wagtailadmin_reports:page_types_usage": _replace_with(
        ScopedPageTypesUsageReportView.as_view()
    ),
    "wagtailadmin_reports:page_types_usage_results": _replace_with(
        ScopedPageTypesUsageReportView.as_view(results_only=True)
    ),
    "wagtailadmin_reports:workflow": _replace_with(ScopedWorkflowView.as_view()),
    "wagtailadmin_reports:workflow_results": _replace_with(
        ScopedWorkflowView.as_view(results_only=True)
    ),
    "wagtailadmin_reports:workflow_tasks": _replace_with(ScopedWorkflowTasksView.as_view()),
    "wagtailadmin_reports:workflow_tasks_results": _replace_with(
        ScopedWorkflowTasksView.as_view(results_only=True)
    ),
    "wagtailadmin_pages:workflow_action": _page_guard,
    "wagtailadmin_pages:collect_workflow_action_data": _page_guard,
    "wagtailadmin_pages:confirm_workflow_cancellation": _page_guard,
    "wagtailadmin_pages:workflow_preview": _page_guard,
}


def _patterns(urlpatterns, namespace=""):
    for pattern in urlpatterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def guard_wagtail_views(urlpatterns) -> None:
    """Wrap the views of GUARDS in Wagtail's admin URL patterns, in place. A guard whose URL
    name is gone (a Wagtail upgrade) stops the start: better than a hole nobody sees."""
    found = set()
    for name, pattern in _patterns(urlpatterns):
        guard = GUARDS.get(name)
        if guard is None:
            continue
        found.add(name)
        if getattr(pattern.callback, "admin_scope_guarded", False):
            continue
        wrapped = guard(pattern.callback)
        wrapped.admin_scope_guarded = True
        pattern.callback = wrapped
    missing = set(GUARDS) - found
    if missing:
        raise ImproperlyConfigured(
            f"residences.admin_scope: Wagtail admin URLs not found: {', '.join(sorted(missing))}"
        )


# Admin API ------------------------------------------------------------------------------------


def scoped_api_endpoints() -> dict[str, type]:
    """The admin API's images and documents endpoints, listing only what the user may use."""
    from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
    from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

    class ScopedMediaMixin:
        def get_queryset(self):
            queryset = super().get_queryset()
            user = self.request.user
            if user.is_superuser:
                return queryset
            return queryset.filter(pk__in=usable_media(user, self.model).values("pk"))

    class ScopedImagesAdminAPIViewSet(ScopedMediaMixin, ImagesAdminAPIViewSet):
        pass

    class ScopedDocumentsAdminAPIViewSet(ScopedMediaMixin, DocumentsAdminAPIViewSet):
        pass

    return {"images": ScopedImagesAdminAPIViewSet, "documents": ScopedDocumentsAdminAPIViewSet}
