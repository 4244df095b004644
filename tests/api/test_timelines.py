"""What did person P hold on day D, through the API (the story: tests/queries)."""

from __future__ import annotations

import pytest

from strongroom.adapters import clock
from tests.queries.test_timelines import at, tell_the_story


@pytest.fixture
def story(org, register):
    return tell_the_story(org, register)


def test_the_api_answers_it(org, story, client_for):
    with clock.frozen(at(20)):
        response = client_for(org.registrar).get("/api/v1/people/rosa/held?on=2026-03-03")
    assert response.status_code == 200
    body = response.json()
    assert body["person"] == "rosa" and body["on"] == "2026-03-03"
    assert [(c["copy"].rsplit("/")[1], c["state"]) for c in body["copies"]] == [
        ("2", "held"),
        ("1", "in_hand_over"),
    ]
    bad = client_for(org.registrar).get("/api/v1/people/rosa/held?on=yesterday")
    assert bad.status_code == 400 and list(bad.json()["error"]["fields"]) == ["on"]
