"""Production runs e-mails as tasks in the database, executed by `manage.py db_worker`."""

import pytest

from django.core import mail
from django.core.management import call_command

from events.registrations import services as booking

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.engine]


def test_the_database_worker_sends_queued_mails(settings, outing):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    registration = booking.register(
        outing, booking.Party(first_name="Awa", adults=1, email="awa@example.fr")
    )
    from events.registrations.notices import notify

    notify([registration.pk], "registration_confirmed")
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert len(mail.outbox) == 0
    call_command("db_worker", batch=True, queue_name="*", verbosity=0, startup_delay=False)
    assert len(mail.outbox) >= 1
    assert "awa@example.fr" in mail.outbox[0].to
    assert not DBTaskResult.objects.filter(status="READY").exists()
