"""A registrar signs in, registers a document and finds it in the register — in real Chromium."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _fill(browser: Any, field: str, value: str) -> None:
    element = browser.find_element(By.NAME, field)
    element.clear()
    element.send_keys(value)


def test_registrar_registers_a_document_and_sees_it_in_the_register(server, browser, tmp_path):
    browser.get(f"{server}/documents/")
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/sign-in/"))
    _fill(browser, "username", "rita")
    _fill(browser, "password", PASSWORD)
    browser.find_element(
        By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]"
    ).click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/documents/"))

    browser.get(f"{server}/documents/new/")
    _fill(browser, "short_title", "Browser directive")
    _fill(browser, "full_title", "Browser directive on the custody of test widgets")
    _fill(browser, "marking", "SECRET//ALPHA//NO COPY")
    _fill(browser, "originator", "Ministry of Testing")
    _fill(browser, "originator_reference", "MT/42")
    _fill(browser, "received_on", date.today().isoformat())
    _fill(browser, "pages", "3")
    Select(browser.find_element(By.NAME, "medium")).select_by_value("paper")
    _fill(browser, "copies", "2")
    browser.find_element(By.NAME, "short_title").submit()

    WebDriverWait(browser, 10).until(expected_conditions.url_matches(r"/documents/HQ-\d{4}-0001/$"))
    control = f"HQ-{date.today().year}-0001"
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Browser directive" in page
    assert "SECRET//ALPHA//NO COPY" in page

    browser.get(f"{server}/documents/?q=browser")
    rows = browser.find_element(By.TAG_NAME, "main").text
    browser.save_screenshot(str(tmp_path / "register.png"))
    assert control in rows
    assert "Browser directive" in rows
    banners = browser.find_elements(By.CSS_SELECTOR, ".banner")
    assert len(banners) >= 2 and all("SECRET" in b.text for b in banners)
