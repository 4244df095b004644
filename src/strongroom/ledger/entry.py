"""The canonical bytes of a ledger entry and its hashes (docs/ledger.md is the specification).

Bytes are compact JSON with sorted keys, UTF-8, no insignificant whitespace; values are only
strings, integers, booleans, null, lists and objects, so the encoding is unambiguous.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

FORMAT_VERSION = 1
GENESIS = bytes(32)
LEAF_PREFIX = b"\x00"


def canonical_bytes(
    *, seq: int, at: datetime, actor: str | None, kind: str, subject: str, data: dict[str, Any]
) -> bytes:
    body = {
        "v": FORMAT_VERSION,
        "seq": seq,
        "at": format_time(at),
        "actor": actor,
        "kind": kind,
        "subject": subject,
        "data": data,
    }
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def parse(body: bytes) -> dict[str, Any]:
    value = orjson.loads(body)
    if not isinstance(value, dict):
        raise ValueError("entry body is not a JSON object")
    return value


def leaf_hash(body: bytes) -> bytes:
    """RFC 6962 §2.1 leaf hash: SHA-256(0x00 || entry bytes)."""
    return hashlib.sha256(LEAF_PREFIX + body).digest()


def chain_hash(previous: bytes, leaf: bytes) -> bytes:
    """SHA-256(previous chain hash || leaf hash); the first entry chains from 32 zero bytes."""
    return hashlib.sha256(previous + leaf).digest()


def format_time(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("ledger times must be timezone-aware")
    utc = at if at.tzinfo is UTC else at.astimezone(UTC)
    if utc.year >= 1000:
        # The same text as strftime below (isoformat, less its "+00:00"), in a third of the
        # time: every append formats one. strftime writes years before 1000 unpadded.
        return utc.isoformat(timespec="microseconds")[:-6] + "Z"
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
