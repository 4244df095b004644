"""A real server in a subprocess, and a real headless Chromium to drive it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "browser-test-password-9"

# Runs in the server's environment before it starts: schema, the first security officer, and a
# cleared registrar — all through the services, as `strongroom init` would.
SETUP = f"""
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "strongroom.config.settings"
django.setup()
from datetime import date, timedelta
from django.core.management import call_command
from strongroom.services import clearances, people
call_command("migrate", verbosity=0)
olga = people.bootstrap(unit_code="HQ", unit_name="Headquarters", username="olga",
                        full_name="Olga Officer", password="{PASSWORD}")
sven = people.create_person(username="sven", full_name="Sven Second", unit=olga.unit,
                            roles=["security_officer"], password="{PASSWORD}", by=olga)
rita = people.create_person(username="rita", full_name="Rita Registrar", unit=olga.unit,
                            roles=["registrar"], password="{PASSWORD}", by=olga)
clearances.grant_clearance(rita, level="TOP SECRET", compartments=["ALPHA"],
                           expires_on=date.today() + timedelta(days=365),
                           briefed_on=date.today(), by=sven)
"""


def _chromium() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("strongroom-browser")
    env = {**os.environ, "STRONGROOM_DATA_DIR": str(data_dir)}
    # The browser test always runs on its own SQLite file: it needs a database it may fill and
    # throw away, and the PostgreSQL run already covers every layer below the web.
    env.pop("STRONGROOM_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=120)
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "strongroom", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/sign-in/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(
                        "server did not start:\n" + Path(log.name).read_text()
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    found = _chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser test: install chromium and chromium-driver")
        pytest.skip(
            "no chromium/chromedriver here (Debian: apt-get install chromium chromium-driver)"
        )
    binary, driver_path = found
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    profile = tmp_path_factory.mktemp("chromium-profile")
    # As root in a sandbox, with no network but loopback: no sandbox, no background traffic.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
