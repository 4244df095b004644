"""The ``strongroom`` console script (and ``python -m strongroom``).

``verify-bundle`` is handed to ``strongroom.cli.offline`` before Django is even imported: an
inspector checks a bundle on a machine with no settings, no database and no server. Every other
command goes to ``strongroom.cli.main``, which sets Django up first.
"""

from __future__ import annotations

import sys

from strongroom.cli import offline


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == [offline.COMMAND]:
        return offline.main(args[1:])
    from strongroom.cli.main import main as with_django

    return with_django(args)
