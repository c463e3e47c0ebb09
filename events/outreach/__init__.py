"""Reaching every household: the call list, and messages from the team to the registrants."""
