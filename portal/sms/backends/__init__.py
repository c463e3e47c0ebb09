"""SMS backends, one per module, each an `SmsBackend` class (as Django's e-mail backends)."""
