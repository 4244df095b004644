"""Reading settings from the environment. A bad value stops start-up naming the variable."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit


class ConfigurationError(RuntimeError):
    pass


def text(name: str, default: str) -> str:
    return os.environ.get(name, default).strip()


def flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a yes/no value; use true or false.")


def integer(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ConfigurationError(f"{name}={raw!r} must be at least {minimum}.")
    return value


def whole_numbers(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """Comma-separated whole numbers from 0 up, as many as ``default`` has, e.g. ``0,3,7``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) != len(default) or not all(part.isascii() and part.isdigit() for part in parts):
        example = ",".join(str(number) for number in default)
        raise ConfigurationError(
            f"{name}={raw!r} must be {len(default)} whole numbers from 0 up, separated by "
            f"commas, e.g. {example}."
        )
    return tuple(int(part) for part in parts)


def names(name: str, default: tuple[str, ...], *, upper: bool = True) -> tuple[str, ...]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    items = tuple(" ".join(part.split()) for part in raw.split(","))
    if upper:
        items = tuple(item.upper() for item in items)
    if any(not item for item in items):
        raise ConfigurationError(f"{name}={raw!r} has an empty name; separate names with commas.")
    return items


def directory(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    path = Path(raw).expanduser() if raw and raw.strip() else default
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigurationError(f"{name}: cannot create directory {path}: {error}") from None
    return path.resolve()


def database(name: str, default_sqlite: Path) -> dict[str, object]:
    """``sqlite:///abs/path.db`` or ``postgresql://user:pass@host:port/dbname``."""
    raw = os.environ.get(name, "").strip()
    sqlite_options = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers never deadlock half-way.
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
        "timeout": 10,
    }
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            "OPTIONS": sqlite_options,
        }
    url = urlsplit(raw)
    if url.scheme == "sqlite":
        path = unquote(url.path)
        if not path or path == "/":
            raise ConfigurationError(f"{name}={raw!r} names no file; use sqlite:////abs/path.db")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": sqlite_options}
    if url.scheme in {"postgres", "postgresql"}:
        dbname = unquote(url.path.lstrip("/"))
        if not dbname:
            raise ConfigurationError(f"{name}={raw!r} names no database after the host.")
        try:
            port = url.port
        except ValueError:
            raise ConfigurationError(f"{name}={raw!r} has a bad port number.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": dbname,
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(port or ""),
            "TEST": {"NAME": f"{dbname}_strongroom_test"},
        }
    raise ConfigurationError(
        f"{name}={raw!r}: the scheme must be sqlite:// or postgresql://, not {url.scheme!r}."
    )


def secret_key(name: str, data_dir: Path) -> str:
    """From the environment, or generated once into the data directory (owner-only)."""
    raw = os.environ.get(name, "").strip()
    if raw:
        if len(raw) < 32:
            raise ConfigurationError(f"{name} must be at least 32 characters long.")
        return raw
    path = data_dir / "secret_key"
    if not path.exists():
        import secrets

        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; read theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)  # the other process is still writing it
    raise ConfigurationError(f"{name}: the key file {path} is empty; delete it and start again.")


def time_zone(name: str, default: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = text(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"{name}={value!r} is not a time zone name; use e.g. UTC or Asia/Seoul."
        ) from None
    return value


def choice(name: str, default: str, options: tuple[str, ...]) -> str:
    value = text(name, default).upper()
    if value not in options:
        raise ConfigurationError(f"{name}={value!r} must be one of: {', '.join(options)}.")
    return value


def job_queue(name: str, default_sqlite: Path) -> str:
    """``sqlite:///abs/path``, ``postgresql://...`` or ``redis://...``; a SQLite file by default."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return f"sqlite://{default_sqlite}"
    scheme = urlsplit(raw).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "redis", "rediss"}:
        raise ConfigurationError(
            f"{name}={raw!r}: the scheme must be sqlite://, postgresql:// or redis://, "
            f"not {scheme!r}."
        )
    if scheme == "sqlite" and not unquote(urlsplit(raw).path).strip("/"):
        raise ConfigurationError(f"{name}={raw!r} names no file; use sqlite:////abs/path.db")
    return raw


def origin(name: str, default: str) -> str:
    """A transparency log's name (C2SP tlog-checkpoint origin): one line, no spaces, no '+'
    (the signed-note key name it also is)."""
    value = text(name, default)
    if not value or any(c.isspace() or c == "+" or not c.isprintable() for c in value):
        raise ConfigurationError(
            f"{name}={value!r} must be one word with no spaces and no '+', "
            "e.g. records.hq.example.org/strongroom."
        )
    return value


def path(name: str, default: Path) -> Path:
    """A file's path; its directory must exist (the file itself may not, yet)."""
    raw = os.environ.get(name, "").strip()
    chosen = Path(raw).expanduser() if raw else default
    if raw and not chosen.parent.is_dir():
        raise ConfigurationError(f"{name}={raw!r}: the directory {chosen.parent} does not exist.")
    return chosen


# As long as ledger_cosignature.witness may be.
MAX_WITNESS_NAME = 200


def witnesses(keys_name: str, threshold_name: str) -> tuple[tuple[str, ...], int]:
    """The witnesses' verifier keys (type 0x04, as ``strongroom witness --print-key`` prints
    them), separated by commas or white space, and how many of them must cosign (default: all).
    """
    from strongroom.ledger.cosignatures import CosignatureError, WitnessPolicy
    from strongroom.ledger.notes import KeyType, NoteError, parse_vkey

    raw = os.environ.get(keys_name, "")
    # Key names cannot hold white space; commas are the documented separator.
    keys = tuple(part for part in raw.replace(",", " ").split() if part)
    verifiers = []
    for number, vkey in enumerate(keys, 1):
        try:
            verifier = parse_vkey(vkey)
        except NoteError as error:
            raise ConfigurationError(
                f"{keys_name}: witness key {number} ({vkey!r}) is not a verifier key: {error}."
            ) from None
        if verifier.key_type is not KeyType.COSIGNATURE_V1:
            raise ConfigurationError(
                f"{keys_name}: witness key {number} ({verifier.label}) has type "
                f"0x{verifier.key_type:02x}; a witness cosigns with a type-0x04 key: give the key "
                "that `strongroom witness --print-key` prints."
            )
        if len(verifier.name) > MAX_WITNESS_NAME:
            raise ConfigurationError(
                f"{keys_name}: witness key {number} has a name of {len(verifier.name)} "
                f"characters; strongroom keeps names of at most {MAX_WITNESS_NAME}."
            )
        verifiers.append(verifier)
    threshold = integer(threshold_name, len(keys))
    if threshold > len(keys):
        raise ConfigurationError(
            f"{threshold_name}={threshold} is more than the {len(keys)} witness(es) in "
            f"{keys_name}: at most {len(keys)}."
        )
    try:
        WitnessPolicy(tuple(verifiers), threshold)
    except CosignatureError as error:
        raise ConfigurationError(f"{keys_name}: {error}.") from None
    return keys, threshold
