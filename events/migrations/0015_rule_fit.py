"""Where a feed stands against each series' rule: which dates follow it, which it lacks.

Every row starts as not following its rule and every version without a key, so a feed reads
every date of a series, as before, until its next sync (`extend_occurrences` runs daily).
On PostgreSQL 11+ a column with a constant default is added without rewriting the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0014_signup_phone"),
    ]

    operations = [
        migrations.AddField(
            model_name="occurrence",
            name="follows_rule",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="seriesversion",
            name="exdates",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="seriesversion",
            name="feed_key",
            field=models.CharField(blank=True, max_length=32),
        ),
    ]
