"""The orders app's own behaviour suite (FastAPI TestClient)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from orders_app.main import app


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)


def test_order_found(client: TestClient) -> None:
    assert client.get("/orders/A1").json() == {"item": "book", "qty": 2}


def test_order_missing(client: TestClient) -> None:
    response = client.get("/orders/Z9")
    assert response.status_code == 404 and response.json() == {"detail": "no such order"}


def test_health(client: TestClient) -> None:
    assert client.get("/health").json() == {"ok": True}


def test_slow_takes_its_argument(client: TestClient) -> None:
    assert client.get("/slow", params={"seconds": 0.02}).json() == {"slept": 0.02}


def test_version_runs_a_process(client: TestClient) -> None:
    assert client.get("/version").json() == {"version": "42"}


def test_count(client: TestClient) -> None:
    assert client.get("/count").json() == {"count": 2}
