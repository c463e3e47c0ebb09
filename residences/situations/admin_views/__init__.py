"""The « Situations » area of the Wagtail admin, scoped to the user's sectors (access.Team)."""
