from celery import shared_task

from . import emails


@shared_task(name="teams.send_invitation_email")
def send_invitation_email(invitation_id: int) -> None:
    emails.invitation_send(invitation_id=invitation_id)
