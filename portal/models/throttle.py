"""Rate-limit counters for the embedded set-up (no shared cache)."""

from django.db import models
from django.utils import timezone


class RateLimitHit(models.Model):
    key = models.CharField(max_length=64, unique=True)
    hits = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "compteur de limitation"
        verbose_name_plural = "compteurs de limitation"

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
