"""The default intensity grid (1 gêne, 2 conflit, 3 conflit grave ou danger); the landlord
adapts it in the admin (« Grille d'intensité »)."""

from django.db import migrations

GRID = [
    (1, "Gêne", "Écoute, rappel des règles de vie, suivi par le médiateur.", False),
    (2, "Conflit", "Rencontre de chaque ménage, proposition d'une médiation.", False),
    (
        3,
        "Conflit grave ou danger",
        "Le ou la responsable est informé·e ; orientation vers un partenaire si besoin.",
        True,
    ),
]


def add_grid(apps, schema_editor):
    IntensityLevel = apps.get_model("residences", "IntensityLevel")
    for level, label, response, attention in GRID:
        IntensityLevel.objects.get_or_create(
            level=level,
            defaults={"label": label, "response": response, "needs_manager": attention},
        )


class Migration(migrations.Migration):
    dependencies = [("residences", "0006_situations")]

    operations = [migrations.RunPython(add_grid, migrations.RunPython.noop)]
