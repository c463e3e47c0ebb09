"""Sign-ups per date: models, the booking service, notices, privacy, views and admin views."""
