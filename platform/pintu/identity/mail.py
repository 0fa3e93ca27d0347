"""Mail about a person's own account (a NIK used at sign-up, a file handed over, signed out everywhere).

Sent after the transaction commits, so a rolled-back change never mails anyone; a mail server that is
down never undoes the change it reports.
"""
from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction

log = logging.getLogger(__name__)


def account_mail_send(*, to: str, subject: str, body: str) -> None:
    if not to:
        return

    def send() -> None:
        try:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
        except OSError:  # the mail server down: the change stands, the log says what was not sent
            log.warning("account mail to %s not sent: %s", to, subject)

    transaction.on_commit(send)
