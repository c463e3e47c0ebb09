"""The « Inscriptions » overview of the admin: every registration a user may run."""
