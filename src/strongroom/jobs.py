"""The periodic jobs, run by ``strongroom worker`` with Huey.

The queue lives where STRONGROOM_JOB_QUEUE says: a SQLite file in the data directory by
default, or PostgreSQL or Redis in production. The jobs themselves are thin: each calls a
service (``services.alerts.run_checks``), which is idempotent and is what the tests call.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import close_old_connections
from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey, crontab

from strongroom.services import alerts, checkpoints, idempotency

log = logging.getLogger(__name__)
NAME = "strongroom"


def make_queue(url: str) -> Huey:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return SqliteHuey(NAME, filename=unquote(parts.path))
    if parts.scheme in {"postgres", "postgresql"}:
        return PostgresHuey(NAME, dsn=url)
    # redis:// or rediss://; Huey needs the redis package for it.
    try:
        return RedisHuey(NAME, url=url)
    except Exception as error:  # Huey raises its own ConfigurationError without redis-py
        raise RuntimeError(
            f"STRONGROOM_JOB_QUEUE={url!r} needs the Redis client: pip install redis ({error})"
        ) from None


huey = make_queue(settings.STRONGROOM_JOB_QUEUE)


# Huey's decorators are untyped; the function below is fully typed and called only by Huey.
@huey.periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def periodic_checks() -> None:
    """Every minute: overdue returns, unacknowledged hand-overs, late transits, reminders."""
    close_old_connections()
    try:
        for result in alerts.run_checks():
            if result.raised or result.opened:
                log.warning(
                    "%s: %d new alert(s), %d incident(s) opened",
                    result.name,
                    result.raised,
                    result.opened,
                )
        idempotency.forget_old()
    finally:
        close_old_connections()


@huey.periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def periodic_checkpoint() -> None:
    """Every minute: sign a checkpoint if enough entries are new, or the last one is old."""
    close_old_connections()
    try:
        signed = checkpoints.checkpoint_if_due()
        if signed is not None:
            log.info("checkpoint signed: %d entries", signed.size)
    finally:
        close_old_connections()
