"""Publishing, unpublishing and moving a page with a schedule update its occurrences."""

from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from events.calendar.occurrences import clear_occurrences, rescope_subtree, sync_occurrences
from events.models import SchedulePageMixin


@receiver(page_published)
def on_publish(sender, instance, revision=None, **kwargs):
    if isinstance(instance, SchedulePageMixin):
        sync_occurrences(instance, user=getattr(revision, "user", None))


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    if isinstance(instance, SchedulePageMixin):
        clear_occurrences(instance)


@receiver(post_page_move)
def on_move(sender, instance, user=None, **kwargs):
    """A moved page takes its future dates, and those of every page below it, along."""
    rescope_subtree(instance, user=user)
