"""Sending e-mail through Django's mail backends (the console by default).

People have no stored e-mail address: an address is ``<username>@<STRONGROOM_MAIL_DOMAIN>``,
which is how most organisations' directories name people anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail

log = logging.getLogger(__name__)


def address(username: str) -> str:
    return f"{username}@{settings.STRONGROOM_MAIL_DOMAIN}"


def send(usernames: Iterable[str], subject: str, body: str) -> bool:
    """Send one message to these people. Mail is a courtesy copy of what the dashboards
    already show, so a mail server that is down is logged, never allowed to undo the alert."""
    recipients = sorted({address(name) for name in usernames})
    if not recipients:
        return False
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError as error:  # SMTP failures are OSErrors (socket, SMTPException)
        log.warning("could not send %r to %s: %s", subject, ", ".join(recipients), error)
        return False
    return True
