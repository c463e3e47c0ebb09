import django.db.models.deletion
from django.db import migrations, models

GROUPS = "groups"  # wagtail.models.BaseViewRestriction.GROUPS


def keep_sector_documents_private(apps, schema_editor):
    """Each sector's collection becomes private to its team on upgrade (issue #15: its documents
    were downloadable by anyone), as residences.teams.keep_private does from now on. A collection
    that already has a restriction keeps it. The public collection « Documents publics –
    <secteur> » is created by the next `create_sector_team` (tree nodes need the real model):
    move the documents meant for tenants there."""
    SectorTeam = apps.get_model("residences", "SectorTeam")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    for team in SectorTeam.objects.exclude(collection=None):
        if CollectionViewRestriction.objects.filter(collection_id=team.collection_id).exists():
            continue
        groups = [pk for pk in (team.mediators_id, team.managers_id) if pk is not None]
        restriction = CollectionViewRestriction.objects.create(
            collection_id=team.collection_id, restriction_type=GROUPS, password=""
        )
        restriction.groups.set(groups)


class Migration(migrations.Migration):
    dependencies = [
        ("residences", "0003_sector_team"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="sectorteam",
            name="public_collection",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.collection",
                verbose_name="documents publics",
            ),
        ),
        migrations.RunPython(keep_sector_documents_private, migrations.RunPython.noop),
    ]
