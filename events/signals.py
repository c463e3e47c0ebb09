"""Publishing, unpublishing and moving a page with a schedule update its occurrences."""

from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from events.models import SchedulePageMixin
from events.occurrences import clear_occurrences, sync_occurrences


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    if isinstance(instance, SchedulePageMixin):
        sync_occurrences(instance)


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    if isinstance(instance, SchedulePageMixin):
        clear_occurrences(instance)


@receiver(post_page_move)
def on_move(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, SchedulePageMixin) and page.live:
        sync_occurrences(page)
