"""Domain and policy are plain Python: importing them in a fresh interpreter loads no Django.

policy.querysets is the one sanctioned bridge to the ORM and is left out.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys

import pytest

import strongroom.domain
import strongroom.policy

EXEMPT = {"strongroom.policy.querysets"}
FRAMEWORKS = ("django", "rest_framework")


def plain_modules() -> list[str]:
    """Every module of strongroom.domain and strongroom.policy except the ORM bridge."""
    names = ["strongroom.domain", "strongroom.policy"]
    for package in (strongroom.domain, strongroom.policy):
        names += [
            info.name
            for info in pkgutil.iter_modules(package.__path__, prefix=package.__name__ + ".")
        ]
    return sorted(name for name in names if name not in EXEMPT)


def frameworks_loaded_by(modules: list[str]) -> list[str]:
    """Import ``modules`` in a fresh interpreter; the Django/DRF modules it ended up with."""
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"prefixes = {FRAMEWORKS!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "    if m in prefixes or m.startswith(tuple(p + '.' for p in prefixes)))))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def test_the_module_list_is_not_empty() -> None:
    modules = plain_modules()
    for expected in [
        "strongroom.domain.markings",
        "strongroom.domain.clearance",
        "strongroom.domain.custody",
        "strongroom.domain.codes",
        "strongroom.domain.errors",
        "strongroom.policy.actions",
        "strongroom.policy.facts",
        "strongroom.policy.rules",
        "strongroom.policy.decisions",
    ]:
        assert expected in modules
    assert "strongroom.policy.querysets" not in modules


def test_domain_and_policy_import_no_django() -> None:
    assert frameworks_loaded_by(plain_modules()) == []


@pytest.mark.parametrize("module", plain_modules())
def test_each_module_alone_imports_no_django(module: str) -> None:
    assert frameworks_loaded_by([module]) == []


def test_the_probe_does_see_django() -> None:
    """Guard against a probe that could never fail."""
    assert "django" in frameworks_loaded_by(["django"])
