"""Mediation follow-up: tenants' requests for help and the confidential situations (issue #22)."""
