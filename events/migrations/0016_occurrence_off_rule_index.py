"""The dates a feed reads (those that differ from their rule), indexed without blocking writes."""

from django.db import migrations, models

from portal.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("events", "0015_rule_fit"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="occurrence",
            index=models.Index(
                condition=models.Q(("follows_rule", False)),
                fields=["page", "start"],
                name="occurrence_off_rule",
            ),
        ),
    ]
