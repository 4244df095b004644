"""What did person P hold on day D, through the CLI (the story: tests/queries)."""

from __future__ import annotations

import json

import pytest

from strongroom.adapters import clock
from tests.queries.test_timelines import at, tell_the_story


@pytest.fixture
def story(org, register):
    return tell_the_story(org, register)


def test_the_cli_answers_it(org, story, cli):
    with clock.frozen(at(20)):
        result = cli("held-by", "nils", "--on", "2026-03-05", "--json", as_=org.registrar)
    assert result.code == 0
    body = json.loads(result.out)
    assert [c["copy"] for c in body["copies"]] == [f"{story.control_number}/1"]
