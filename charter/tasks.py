from celery import shared_task

from . import emails


@shared_task(name="charter.send_charter_published")
def send_charter_published(version_id: int) -> None:
    emails.charter_published_send(version_id=version_id)
