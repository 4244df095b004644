"""Docs that cannot drift: every setting, event kind, permission and periodic check is
documented."""

from __future__ import annotations

import re
from pathlib import Path

from strongroom.ledger.events import Event
from strongroom.ledger.replay import HANDLERS
from strongroom.policy import Action
from strongroom.services.alerts import CHECKS

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "strongroom"


def _doc(name: str) -> str:
    return (ROOT / "docs" / name).read_text()


def test_every_setting_is_documented():
    used = set(re.findall(r'"(STRONGROOM_[A-Z_]+)"', (SRC / "config" / "settings.py").read_text()))
    assert used, "settings.py reads no STRONGROOM_ variables?"
    missing = sorted(v for v in used if f"`{v}`" not in _doc("configuration.md"))
    assert not missing, f"undocumented settings: {missing}"


def test_every_event_kind_is_documented_and_replayable():
    doc = _doc("ledger.md")
    assert [e.value for e in Event] == sorted(e.value for e in Event), "keep Event sorted"
    for event in Event:
        assert f"`{event.value}`" in doc, event
        assert event.value in HANDLERS, f"replay has no handler for {event.value}"


def test_every_permission_is_documented():
    doc = _doc("permissions.md")
    for action in Action:
        assert f"`{action.value}`" in doc, action


def test_every_periodic_check_is_documented():
    doc = _doc("cli.md")
    missing = [name for name in CHECKS if f"- *{name}*:" not in doc]
    assert not missing, f"periodic checks not described in docs/cli.md: {missing}"
