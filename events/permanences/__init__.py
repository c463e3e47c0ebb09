"""Permanences: recurring drop-in office hours, their closures and today's status."""
