"""Publishing, unpublishing, moving or restricting a page with a schedule update its occurrences."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from events.calendar.occurrences import (
    clear_occurrences,
    relist_subtree,
    rescope_subtree,
    sync_occurrences,
)
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


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_privacy_change(sender, instance, **kwargs):
    """« Connexion requise », a password or groups: the dates below leave every public place."""
    page = Page.objects.filter(pk=instance.page_id).first()  # gone when the page is deleted
    if page is not None:
        relist_subtree(page)
