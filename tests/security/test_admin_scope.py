"""Issue #15, items 4 and 5: a sector's team sees nothing of the other sectors in the admin.

Real users of the demo (`seed_demo`: teams from `setup_sector_team`, Wagtail groups): nadia,
mediator of Agence Nord (A), against every admin URL of Agence Sud (B); claire, manager of both,
as the control that the same requests do show B to someone allowed (so a missing title means a
refusal, not a broken fixture). B gets a never-published page, a draft revision, a registrant,
a document and an image, all marked « SUDSECRET ».
"""

import html
from datetime import timedelta

import pytest

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Revision,
    TaskState,
    WorkflowState,
)

from events.models import EventPage, Occurrence, PermanencePage, Registration
from residences.models import ResidencePage, SectorPage, SectorTeam
from residences.teams import setup_sector_team
from tests.security.conftest import new_address
from tests.security.pages import MARK, event_page, publish

REFUSED = {302, 400, 403, 404, 405}


@pytest.fixture(scope="module")
def world(demo_site, django_db_blocker):
    """What sector B holds beyond the demo, created once per module (rolled back with it)."""
    from events.registrations.services import Party, register

    with django_db_blocker.unblock():
        north = SectorPage.objects.get(slug="agence-nord")
        south = SectorPage.objects.get(slug="agence-sud")
        team = SectorTeam.objects.get(sector=south)
        peupliers = ResidencePage.objects.get(slug="les-peupliers")
        event = publish(
            peupliers,
            event_page(
                title=f"Atelier cuisine {MARK}",
                slug="atelier-cuisine-sud",
                registration_enabled=True,
                capacity=10,
            ),
        )
        occurrence = Occurrence.objects.filter(page=event).first()
        register(
            occurrence,
            Party(first_name=f"Famille{MARK}", adults=2, email="famille@exemple.org"),
            enforce_window=False,
        )
        event.title = f"Atelier renommé {MARK}"  # a draft revision over the live page
        revision = event.save_revision()
        draft = event_page(title=f"Projet {MARK}", slug="projet-sud", live=False)
        peupliers.add_child(instance=draft)
        draft.save_revision()
        # B requires approval, and the draft awaits it: workflow views name the page and task.
        team = setup_sector_team(south, require_approval=True)
        sophie = get_user_model().objects.get(username="sophie")
        workflow_state = team.workflow.start(draft, sophie)
        task_state = workflow_state.current_task_state
        document = get_document_model().objects.create(
            title=f"Compte rendu {MARK}",
            collection=team.collection,
            file=ContentFile(f"confidentiel {MARK}".encode(), name="compte-rendu.txt"),
        )
        public_document = get_document_model().objects.create(
            title="Affiche pour les locataires",
            collection=team.public_collection,
            file=ContentFile(b"pour tous", name="affiche.txt"),
        )
        image = get_image_model().objects.create(
            title=f"Photo {MARK}", collection=team.collection, file=get_test_image_file()
        )
        users = get_user_model().objects.in_bulk(
            ["nadia", "claire", "sophie"], field_name="username"
        )
        return {
            "north": north,
            "south": south,
            "tilleuls": ResidencePage.objects.get(slug="les-tilleuls"),
            "peupliers": peupliers,
            "event": event,
            "revision": revision,
            "draft": draft,
            "permanence": PermanencePage.objects.descendant_of(south).live().first(),
            "occurrence": occurrence,
            "registration": Registration.objects.get(occurrence=occurrence),
            "document": document,
            "public_document": public_document,
            "image": image,
            "team": team,
            "workflow_state": workflow_state,
            "task_state": task_state,
            **users,
        }


@pytest.fixture
def b(world, site):
    return world


def secrets_of(world) -> set[str]:
    """Every title of B (pages, draft revisions, media), less those A or the landlord also use."""
    south = world["south"]
    in_b = Page.objects.descendant_of(south, inclusive=True)
    titles = set(in_b.values_list("title", flat=True))
    for revision in Revision.page_revisions.filter(
        object_id__in=[str(pk) for pk in in_b.values_list("pk", flat=True)]
    ):
        titles.add(revision.content.get("title", ""))
    titles |= {world["document"].title, world["image"].title, MARK, f"Famille{MARK}"}
    titles -= set(Page.objects.exclude(pk__in=in_b.values("pk")).values_list("title", flat=True))
    return {t for t in titles if len(t) > 4}


def leaked(response, secrets) -> list[str]:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode("utf-8", "replace")
    return sorted(s for s in secrets if s in text or html.escape(s) in text)


def snapshot(world) -> dict:
    """Everything of B a request could change, and what a copy or a move would add elsewhere."""
    south = world["south"]
    in_b = Page.objects.descendant_of(south, inclusive=True)
    ids = [str(pk) for pk in in_b.values_list("pk", flat=True)]
    collections = [world["team"].collection_id, world["team"].public_collection_id]
    return {
        "pages": sorted(
            in_b.values_list(
                "pk", "title", "slug", "live", "path", "locked", "latest_revision_id", "owner_id"
            )
        ),
        "page count": Page.objects.count(),
        "revisions": Revision.page_revisions.filter(object_id__in=ids).count(),
        "workflow states": sorted(WorkflowState.objects.values_list("pk", "status")),
        "task states": sorted(TaskState.objects.values_list("pk", "status")),
        "page restrictions": PageViewRestriction.objects.count(),
        "collection restrictions": sorted(
            CollectionViewRestriction.objects.values_list("pk", "collection_id", "restriction_type")
        ),
        "occurrences": sorted(
            Occurrence.objects.filter(sector=south).values_list("pk", "status", "start", "reason")
        ),
        "registrations": sorted(
            Registration.objects.filter(occurrence__sector=south).values_list(
                "pk", "status", "seats", "attended"
            )
        ),
        "registration count": Registration.objects.count(),
        "documents": sorted(
            get_document_model()
            .objects.filter(collection_id__in=collections)
            .values_list("pk", "title", "collection_id")
        ),
        "images": sorted(
            get_image_model()
            .objects.filter(collection_id__in=collections)
            .values_list("pk", "title", "collection_id")
        ),
        "collections": sorted(Collection.objects.values_list("pk", "name", "path")),
    }


def requests_against_b(w) -> list[tuple[str, str, dict]]:
    """(method, URL, data): every admin URL of sector B, and the listings that could show it."""
    north, south, event, draft = w["north"], w["south"], w["event"], w["draft"]
    peupliers, permanence, revision = w["peupliers"], w["permanence"], w["revision"]
    occurrence, registration = w["occurrence"], w["registration"]
    document, image = w["document"], w["image"]
    pages = [south, peupliers, event, draft, permanence]
    tried = []

    def get(name, *args, query="", **kwargs):
        tried.append(("get", reverse(name, args=args, kwargs=kwargs or None) + query, {}))

    def post(name, *args, data=None, query="", **kwargs):
        url = reverse(name, args=args, kwargs=kwargs or None) + query
        tried.append(("post", url, data or {}))

    for page in pages:
        pk = page.pk
        for name in (
            "wagtailadmin_pages:edit",
            "wagtailadmin_pages:delete",
            "wagtailadmin_pages:unpublish",
            "wagtailadmin_pages:copy",
            "wagtailadmin_pages:revisions_index",
            "wagtailadmin_pages:history",
            "wagtailadmin_pages:history_results",
            "wagtailadmin_pages:workflow_history",
            "wagtailadmin_pages:usage",
            "wagtailadmin_pages:view_draft",
            "wagtailadmin_pages:preview_on_edit",
            "wagtailadmin_pages:set_privacy",
            "wagtailadmin_pages:convert_alias",
            "wagtailadmin_pages:confirm_workflow_cancellation",
        ):
            get(name, pk)
        get("wagtailadmin_pages:preview_on_edit", pk, query="?mode=")
        get("wagtailadmin_pages:move", page_to_move_id=pk)
        get("wagtailadmin_pages:move_confirm", pk, north.pk)
        get("wagtailadmin_pages:add_subpage", parent_page_id=pk)
        get("wagtailadmin_pages:add", "events", "eventpage", pk)
        get("wagtailadmin_explore", pk)
        get("wagtailadmin_explore_results", pk)
        get("wagtailadmin_choose_page_child", pk)
        get("wagtailadmin_choose_page_child", pk, query="?page_type=events.eventpage")
        get("wagtailadmin_choose_page_chosen_multiple", query=f"?id={pk}")
        get("wagtailadmin_choose_page_chosen_multiple", query=f"?id={w['tilleuls'].pk}&id={pk}")
        get("wagtailadmin_api:pages:detail", pk)
        get("wagtailadmin_api:pages:listing", query=f"?child_of={pk}")
        get("wagtailadmin_api:pages:listing", query=f"?descendant_of={pk}")
        for action in ("delete", "move", "publish", "unpublish"):
            get("wagtail_bulk_action", "wagtailcore", "page", action, query=f"?id={pk}")
            get(
                "wagtail_bulk_action",
                "wagtailcore",
                "page",
                action,
                query=f"?id={w['tilleuls'].pk}&id={pk}",
            )
            get("wagtail_bulk_action", "wagtailcore", "page", action, query=f"?id=all&childOf={pk}")
            get(
                "wagtail_bulk_action",
                "wagtailcore",
                "page",
                action,
                query=f"?id=all&childOf={pk}&q=secret",
            )
        # What changes something, POSTed.
        post("wagtailadmin_pages:edit", pk, data={"title": "Piraté", "slug": page.slug})
        post("wagtailadmin_pages:delete", pk)
        post("wagtailadmin_pages:unpublish", pk, data={"include_descendants": "on"})
        post(
            "wagtailadmin_pages:copy",
            pk,
            data={
                "new_title": "Copie pirate",
                "new_slug": "copie-pirate",
                "new_parent_page": north.pk,
                "copy_subpages": "on",
                "publish_copies": "on",
            },
        )
        post("wagtailadmin_pages:move", page_to_move_id=pk, data={"new_parent_page": north.pk})
        post("wagtailadmin_pages:move_confirm", pk, north.pk)
        post("wagtailadmin_pages:lock", pk)
        post("wagtailadmin_pages:unlock", pk)
        post("wagtailadmin_pages:set_privacy", pk, data={"restriction_type": "login"})
        post(
            "wagtailadmin_pages:add",
            "events",
            "eventpage",
            pk,
            data={"title": "Intrus", "slug": "intrus", "action-publish": "publish"},
        )
        for action in ("delete", "publish", "unpublish"):
            post("wagtail_bulk_action", "wagtailcore", "page", action, query=f"?id={pk}")
            post(
                "wagtail_bulk_action",
                "wagtailcore",
                "page",
                action,
                query=f"?id=all&childOf={pk}",
                data={"include_descendants": "on"},
            )
        post(
            "wagtail_bulk_action",
            "wagtailcore",
            "page",
            "move",
            query=f"?id={pk}",
            data={"chooser": north.pk},
        )
        for action, data in (
            ("delete", {}),
            ("publish", {}),
            ("unpublish", {"recursive": True}),
            ("move", {"destination_page_id": north.pk}),
            ("copy", {"destination_page_id": north.pk, "recursive": True}),
            ("revert_to_page_revision", {"revision_id": revision.pk}),
        ):
            post("wagtailadmin_api:pages:action", pk, action, data=data)

    # One of A's pages towards B: B's title must not come back as the destination.
    tilleuls = w["tilleuls"]
    get("wagtailadmin_pages:move_confirm", tilleuls.pk, south.pk)
    post("wagtailadmin_pages:move_confirm", tilleuls.pk, south.pk)
    post("wagtailadmin_pages:move", page_to_move_id=tilleuls.pk, data={"new_parent_page": south.pk})
    post(
        "wagtail_bulk_action",
        "wagtailcore",
        "page",
        "move",
        query=f"?id={tilleuls.pk}",
        data={"chooser": south.pk},
    )
    get(
        "wagtail_bulk_action",
        "wagtailcore",
        "page",
        "move",
        query=f"?id={tilleuls.pk}&id={event.pk}",
    )
    post(
        "wagtailadmin_pages:copy",
        tilleuls.pk,
        data={"new_title": "Copie", "new_slug": "copie-vers-b", "new_parent_page": south.pk},
    )

    # B's draft awaiting approval: every workflow view.
    task_state, workflow_state = w["task_state"], w["workflow_state"]
    for action in ("approve", "reject"):
        get("wagtailadmin_pages:workflow_action", draft.pk, action, task_state.pk)
        get("wagtailadmin_pages:collect_workflow_action_data", draft.pk, action, task_state.pk)
        post(
            "wagtailadmin_pages:workflow_action",
            draft.pk,
            action,
            task_state.pk,
            data={"comment": "Piraté"},
        )
        post(
            "wagtailadmin_pages:collect_workflow_action_data",
            draft.pk,
            action,
            task_state.pk,
        )
    for page in pages:
        get("wagtailadmin_pages:workflow_preview", page.pk, task_state.task_id)
        get("wagtailadmin_pages:workflow_history_detail", page.pk, workflow_state.pk)
    get("wagtailadmin_pages:confirm_workflow_cancellation", draft.pk)

    # Revisions of B's live event (its draft title is B's).
    for name in (
        "wagtailadmin_pages:revisions_view",
        "wagtailadmin_pages:revisions_revert",
        "wagtailadmin_pages:revisions_unschedule",
    ):
        get(name, event.pk, revision.pk)
    post("wagtailadmin_pages:revisions_unschedule", event.pk, revision.pk)
    get("wagtailadmin_pages:revisions_compare", event.pk, "earliest", "latest")
    get("wagtailadmin_pages:revisions_compare", event.pk, "live", str(revision.pk))

    # Listings, searches, choosers and reports that could show B.
    for name in (
        "wagtailadmin_home",
        "wagtailadmin_explore_root",
        "wagtailadmin_choose_page",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailimages:index",
        "wagtaildocs:index",
        "wagtailimages_chooser:choose",
        "wagtaildocs_chooser:choose",
        "wagtailadmin_collections:index",
        "wagtailadmin_api:pages:listing",
        "wagtailadmin_api:images:listing",
        "wagtailadmin_api:documents:listing",
    ):
        get(name)
    for query in ("?q=secret", "?q=sud", "?q=peupliers"):
        get("wagtailadmin_pages:search", query=query)
        get("wagtailadmin_pages:search_results", query=query)
        get("wagtailadmin_choose_page_search", query=query)
        get("wagtailimages:index_results", query=query)
        get("wagtaildocs:index_results", query=query)
        get("wagtailimages_chooser:choose_results", query=query)
        get("wagtaildocs_chooser:choose_results", query=query)
        get("wagtailadmin_reports:page_types_usage_results", query=query)
    get("wagtailadmin_api:pages:listing", query="?search=secret")
    get("wagtailadmin_api:images:listing", query="?search=secret")
    get("wagtailadmin_api:documents:listing", query="?search=secret")
    get("wagtailadmin_choose_page", query="?page_type=events.eventpage")
    get("wagtailadmin_choose_page", query="?page_type=events.permanencepage")
    for app, model in (("events", "eventpage"), ("residences", "residencepage")):
        get("wagtailadmin_pages:type_use", app, model)
        get("wagtailadmin_pages:type_use_results", app, model)

    # B's media.
    get("wagtailadmin_api:images:detail", image.pk)
    get("wagtailadmin_api:documents:detail", document.pk)
    get("wagtailadmin_api:images:find", query=f"?id={image.pk}")
    get("wagtailadmin_api:documents:find", query=f"?id={document.pk}")
    for name in (
        "wagtailimages:edit",
        "wagtailimages:delete",
        "wagtailimages:url_generator",
        "wagtailimages:image_usage",
        "wagtailimages_chooser:select_format",
    ):
        get(name, image.pk)
    get("wagtailimages:preview", image.pk, "original")
    get("wagtailimages_chooser:chosen", str(image.pk))
    get("wagtailimages_chooser:chosen_multiple", query=f"?id={image.pk}")
    for name in ("wagtaildocs:edit", "wagtaildocs:delete", "wagtaildocs:document_usage"):
        get(name, document.pk)
    get("wagtaildocs_chooser:chosen", str(document.pk))
    get("wagtaildocs_chooser:chosen_multiple", query=f"?id={document.pk}")
    post(
        "wagtailimages:edit",
        image.pk,
        data={"title": "Piraté", "collection": w["team"].collection_id},
    )
    post("wagtailimages:delete", image.pk)
    post("wagtaildocs:edit", document.pk, data={"title": "Piraté"})
    post("wagtaildocs:delete", document.pk)
    for model, pk in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        obj = image if pk == "image" else document
        for action in ("delete", "add_tags", "add_to_collection"):
            get("wagtail_bulk_action", model, pk, action, query=f"?id={obj.pk}")
            get(
                "wagtail_bulk_action",
                model,
                pk,
                action,
                query=f"?id=all&childOf={obj.collection_id}",
            )
        post("wagtail_bulk_action", model, pk, "delete", query=f"?id={obj.pk}")
    collection = w["team"].collection_id
    get("wagtailadmin_collections:edit", pk=collection)
    get("wagtailadmin_collections:set_privacy", collection_id=collection)
    post(
        "wagtailadmin_collections:set_privacy",
        collection_id=collection,
        data={"restriction_type": "none"},
    )
    get("wagtaildocs_serve", document.pk, document.filename)

    # Our views.
    get("event_registrations", event.pk)
    get("event_poster", event.pk)
    get("occurrence_registrations", occurrence.pk)
    get("occurrence_registrations_csv", occurrence.pk)
    get("occurrence_signin_sheet", occurrence.pk)
    post(
        "occurrence_registrations",
        occurrence.pk,
        data={"action": "ajouter", "first_name": "Intrus", "adults": 1, "phone": "0611223344"},
    )
    post(
        "occurrence_registrations",
        occurrence.pk,
        data={"action": "annuler", "registration": registration.pk},
    )
    post(
        "occurrence_registrations",
        occurrence.pk,
        data={"action": "presences", "present": registration.pk},
    )
    get("cancel_date", permanence.pk)
    post(
        "cancel_date",
        permanence.pk,
        data={"date": (timezone.localdate() + timedelta(days=7)).isoformat(), "reason": "Piraté"},
    )
    for output in ("", "&format=csv", "&format=imprimer"):
        get("activity_report", query=f"?secteur={south.slug}{output}")
    return tried


def send(client, method, url, data):
    if method == "post":
        return client.post(url, data, REMOTE_ADDR=new_address())
    return client.get(url, REMOTE_ADDR=new_address())


def test_a_mediator_of_a_reaches_nothing_of_b(b, client):
    """The matrix: every request of nadia (A) against B is refused or answers without B, and
    nothing of B changes."""
    secrets = secrets_of(b)
    client.force_login(b["nadia"])
    before = snapshot(b)
    tried = requests_against_b(b)
    refused, answered, leaks = 0, 0, []
    for method, url, data in tried:
        response = send(client, method, url, data)
        assert response.status_code < 500, (method, url)
        found = leaked(response, secrets)
        if found:
            leaks.append((method, url, response.status_code, found))
        if response.status_code in REFUSED:
            refused += 1
        else:
            answered += 1
    # A message left in the session by a refused request would come out on the next page.
    found = leaked(client.get(reverse("wagtailadmin_home")), secrets)
    if found:
        leaks.append(("get", "/admin/ (messages)", 200, found))
    print(
        f"\nAdmin matrix, nadia (mediator of A) against B: {len(tried)} requests tried "
        f"({sum(m == 'post' for m, _, _ in tried)} POST), {refused} refused, {answered} answered "
        f"without B's data, {len(leaks)} leaks."
    )
    assert leaks == [], "\n".join(map(str, leaks))
    assert snapshot(b) == before


CONTROL = [
    ("wagtailadmin_pages:edit", "draft"),
    ("wagtail_bulk_action:delete", "draft"),
    ("wagtail_bulk_action:move", "draft"),
    ("wagtail_bulk_action:publish", "draft"),
    ("wagtail_bulk_action:unpublish", "event"),
    ("wagtailadmin_pages:move_confirm", "draft"),
    ("wagtailadmin_choose_page_child", "peupliers"),
    ("wagtailadmin_choose_page_chosen_multiple", "draft"),
    ("wagtailadmin_reports:page_types_usage", None),
    ("wagtailadmin_api:images:listing", None),
    ("wagtailadmin_api:documents:listing", None),
    ("event_registrations", "event"),
    ("occurrence_registrations", "occurrence"),
    ("wagtaildocs_serve", "document"),
    ("wagtailadmin_pages:workflow_preview", "draft"),
    ("wagtailadmin_pages:confirm_workflow_cancellation", "draft"),
]


def control_url(b, name, key):
    if name.startswith("wagtail_bulk_action:"):
        action = name.split(":")[1]
        return (
            reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
            + f"?id={b[key].pk}"
        )
    if name == "wagtailadmin_pages:move_confirm":
        return reverse(name, args=(b[key].pk, b["south"].pk))
    if name == "wagtailadmin_choose_page_chosen_multiple":
        return reverse(name) + f"?id={b[key].pk}"
    if name == "wagtailadmin_pages:workflow_preview":
        return reverse(name, args=(b[key].pk, b["task_state"].task_id))
    if name == "wagtaildocs_serve":
        return reverse(name, args=(b[key].pk, b[key].filename))
    return reverse(name, args=(b[key].pk,) if key else ())


@pytest.mark.parametrize("name,key", CONTROL, ids=[name for name, _ in CONTROL])
def test_a_manager_of_b_still_sees_b(b, client, name, key):
    """The control: claire (manager of A and B) gets B's titles from the same views."""
    client.force_login(b["claire"])
    response = client.get(control_url(b, name, key), REMOTE_ADDR=new_address())
    assert response.status_code == 200
    assert leaked(response, secrets_of(b)), "the marker must show to a manager of B"


# Item 4, one hole at a time (each of these fails without residences/admin_scope.py).


@pytest.mark.parametrize("action", ["delete", "move", "publish", "unpublish"])
def test_bulk_action_confirmation_shows_no_foreign_page(b, client, action):
    client.force_login(b["nadia"])
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
    draft, tilleuls = b["draft"], b["tilleuls"]
    assert client.get(f"{url}?id={draft.pk}").status_code == 404
    assert client.get(f"{url}?id=all&childOf={b['peupliers'].pk}").status_code == 404
    mixed = client.get(f"{url}?id={tilleuls.pk}&id={draft.pk}")
    assert mixed.status_code == 200
    assert "Les Tilleuls" in mixed.content.decode()
    assert leaked(mixed, secrets_of(b)) == []


def test_bulk_move_to_a_foreign_destination_is_refused_without_its_title(b, client):
    client.force_login(b["nadia"])
    tilleuls = b["tilleuls"]
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "move"))
    response = client.post(f"{url}?id={tilleuls.pk}", {"chooser": b["south"].pk})
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert "Agence Sud" not in client.get(reverse("wagtailadmin_home")).content.decode()
    tilleuls.refresh_from_db()
    assert tilleuls.get_parent().pk == b["north"].pk


def test_move_confirmation_is_refused_for_a_foreign_page_or_destination(b, client):
    client.force_login(b["nadia"])
    north, south, draft, tilleuls = b["north"], b["south"], b["draft"], b["tilleuls"]
    confirm = "wagtailadmin_pages:move_confirm"
    # Wagtail turns a PermissionDenied in its admin into « no permission » on the admin home.
    for response in (
        client.get(reverse(confirm, args=(draft.pk, north.pk))),
        client.get(reverse(confirm, args=(tilleuls.pk, south.pk))),
    ):
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert leaked(client.get(reverse("wagtailadmin_home")), secrets_of(b)) == []
    event_in_a = EventPage.objects.descendant_of(tilleuls).first()
    own = client.get(reverse(confirm, args=(event_in_a.pk, b["north"].pk)))
    assert own.status_code == 200


def test_page_chooser_does_not_browse_or_return_a_foreign_page(b, client):
    client.force_login(b["nadia"])
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=(b["peupliers"].pk,)))
    assert browse.status_code == 404
    chosen = reverse("wagtailadmin_choose_page_chosen_multiple")
    assert client.get(f"{chosen}?id={b['draft'].pk}").status_code == 404
    assert client.get(f"{chosen}?id={b['tilleuls'].pk}&id={b['draft'].pk}").status_code == 404
    assert client.get(f"{chosen}?id={b['tilleuls'].pk}").status_code == 200
    own = client.get(reverse("wagtailadmin_choose_page_child", args=(b["tilleuls"].pk,)))
    assert own.status_code == 200


def test_workflow_views_and_reports_name_no_foreign_page_or_workflow(b, client):
    """B's draft awaits approval in « Validation – Agence Sud »: nadia gets neither its title
    (Wagtail's « not awaiting moderation » message) nor B's workflow, task or requester."""
    client.force_login(b["nadia"])
    draft, task_state = b["draft"], b["task_state"]
    for name, args in (
        ("wagtailadmin_pages:workflow_preview", (draft.pk, task_state.task_id)),
        ("wagtailadmin_pages:workflow_preview", (b["event"].pk, task_state.task_id)),
        ("wagtailadmin_pages:workflow_action", (draft.pk, "approve", task_state.pk)),
        ("wagtailadmin_pages:confirm_workflow_cancellation", (draft.pk,)),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
    for name in ("wagtailadmin_reports:workflow", "wagtailadmin_reports:workflow_tasks"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        text = response.content.decode()
        assert "Agence Sud" not in text and "sophie" not in text.lower()
    assert leaked(client.get(reverse("wagtailadmin_home")), secrets_of(b)) == []
    client.force_login(b["claire"])  # a reviewer of B still acts on it
    action = reverse(
        "wagtailadmin_pages:workflow_action", args=(draft.pk, "approve", task_state.pk)
    )
    assert client.get(action).status_code == 200


def test_the_url_guards_sit_inside_wagtails_admin_check(b, client):
    """Wrapped before Wagtail adds its admin-access check: anonymous visitors still go to the
    login page, whatever the guard would say."""
    from residences.admin_scope import GUARDS

    for url in (
        reverse("wagtailadmin_choose_page_child", args=(b["draft"].pk,)),
        reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={b['draft'].pk}",
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("wagtailadmin_reports:workflow"),
        reverse(
            "wagtailadmin_pages:workflow_preview", args=(b["draft"].pk, b["task_state"].task_id)
        ),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    assert len(GUARDS) == 13


def test_page_types_usage_counts_only_own_pages(b, client):
    client.force_login(b["nadia"])
    response = client.get(reverse("wagtailadmin_reports:page_types_usage"))
    assert response.status_code == 200
    assert leaked(response, secrets_of(b)) == []
    counts = {row.model: row.count for row in response.context["object_list"]}
    north = b["north"]
    assert counts["residencepage"] == ResidencePage.objects.descendant_of(north).count()
    assert counts["sectorpage"] == 1


def test_admin_api_lists_only_the_media_of_own_collections(b, client):
    client.force_login(b["nadia"])
    for endpoint, obj in (("images", b["image"]), ("documents", b["document"])):
        listing = client.get(reverse(f"wagtailadmin_api:{endpoint}:listing")).json()
        assert obj.pk not in [item["id"] for item in listing["items"]]
        detail = client.get(reverse(f"wagtailadmin_api:{endpoint}:detail", args=(obj.pk,)))
        assert detail.status_code == 404
    client.force_login(b["claire"])
    listing = client.get(reverse("wagtailadmin_api:documents:listing")).json()
    assert b["document"].pk in [item["id"] for item in listing["items"]]


def test_sector_documents_are_served_to_the_team_only(b, client):
    document, public = b["document"], b["public_document"]
    url = reverse("wagtaildocs_serve", args=(document.pk, document.filename))
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    client.force_login(b["nadia"])
    assert client.get(url).status_code == 302
    client.force_login(b["sophie"])  # mediator of B
    assert b"".join(client.get(url).streaming_content) == f"confidentiel {MARK}".encode()
    client.logout()
    public_url = reverse("wagtaildocs_serve", args=(public.pk, public.filename))
    assert b"".join(client.get(public_url).streaming_content) == b"pour tous"


def test_the_public_pages_of_the_demo_still_answer(b, client):
    """Private sector documents change nothing for visitors: every live public page answers."""
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    pages = [
        page
        for page in Page.objects.live().filter(depth__gt=1).specific()
        if not any(page.path.startswith(path) for path in restricted)
    ]
    assert len(pages) > 30
    for page in pages:
        response = client.get(page.url, REMOTE_ADDR=new_address())
        assert response.status_code == 200, page.url
