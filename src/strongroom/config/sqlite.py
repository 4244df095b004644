"""Make sure Django talks to an SQLite of at least 3.51.3 (the WAL-reset corruption fix).

The interpreter's own ``sqlite3`` is linked against the system library, which is often older;
pysqlite3's wheels bundle a current SQLite with the same DB-API, so it is put in its place
before Django's SQLite backend is imported.
"""

from __future__ import annotations

import sys
from types import ModuleType

MINIMUM = (3, 51, 3)


def _version(module: ModuleType) -> tuple[int, ...]:
    return tuple(int(part) for part in module.sqlite_version.split("."))


def ensure_current_sqlite() -> str:
    """Return the SQLite version in use; raise RuntimeError when no new enough one is available."""
    import sqlite3

    if _version(sqlite3) >= MINIMUM:
        return str(sqlite3.sqlite_version)
    try:
        import pysqlite3  # type: ignore[import-untyped]  # ships no type stubs
        from pysqlite3 import dbapi2
    except ImportError:
        pysqlite3 = dbapi2 = None
    if dbapi2 is None or _version(dbapi2) < MINIMUM:
        wanted = ".".join(map(str, MINIMUM))
        raise RuntimeError(
            f"strongroom needs SQLite {wanted} or newer; this Python has {sqlite3.sqlite_version}. "
            "Install the bundled build with: pip install 'pysqlite3>=0.6.1'"
        )
    sys.modules["sqlite3"] = pysqlite3
    sys.modules["sqlite3.dbapi2"] = dbapi2
    return str(dbapi2.sqlite_version)
