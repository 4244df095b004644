"""A demo organisation worth exploring, loaded through the services: ``load_demo(out=...)``."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from strongroom.demo.loader import DEMO_PASSWORD, DemoLogin, Loader, logins
from strongroom.models import Person

__all__ = ["DEMO_PASSWORD", "DemoLogin", "load_demo"]


def load_demo(*, out: TextIO) -> list[DemoLogin]:
    """Load the demo into an empty installation and return who can sign in.

    Idempotent: when anyone exists already, nothing is loaded and only the logins are returned.
    """
    if Person.objects.exists():
        print("strongroom already has people; the demo was not loaded.", file=out)
        return logins()
    print("Loading the demo organisation (six months of history)...", file=out, flush=True)
    # One transaction: a failed load leaves nothing half-made, and one commit is much faster.
    with transaction.atomic():
        Loader(out).run()
    return logins()
