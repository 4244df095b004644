"""A register too long for one pipe, for tests/cli/test_pipes.py.

``python -m tests.cli.long_register`` creates the database the environment names and registers
enough unclassified documents, each with many copies, that ``strongroom list --json`` prints
far more than a pipe holds (64 KiB on Linux): whoever reads one line and closes the pipe then
leaves the command with output still to write. rita (registrar) signs in with PASSWORD.
"""

from __future__ import annotations

import os
from datetime import date

PASSWORD = "correct-horse-battery-9"
DOCUMENTS = 40
COPIES = 30  # about 6 KiB of JSON a document: some 250 KiB in all


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strongroom.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from strongroom.services import people, registry

    call_command("migrate", verbosity=0, interactive=False)
    # One transaction: one commit to disk rather than one per document.
    with transaction.atomic():
        officer = people.bootstrap(
            unit_code="HQ", unit_name="HQ", username="olga", full_name="Olga", password=PASSWORD
        )
        registrar = people.create_person(
            username="rita",
            full_name="Rita",
            unit=officer.unit,
            roles=["registrar"],
            password=PASSWORD,
            by=officer,
        )
        for number in range(DOCUMENTS):
            registry.register_document(
                unit=officer.unit,
                short_title=f"Notice {number}",
                full_title=f"Notice {number} on the opening hours of the canteen",
                marking="UNCLASSIFIED",
                originator="Facilities",
                received_on=date.today(),
                pages=1,
                medium="paper",
                copies=COPIES,
                by=registrar,
            )


if __name__ == "__main__":
    main()
