from __future__ import annotations

import pytest

from tests.exports.journey_study import build_study


@pytest.fixture(scope="session")
def scan_study(tmp_path_factory):
    """The small known study (read-only: tests that change it build their own)."""
    store, ids = build_study(tmp_path_factory.mktemp("exports") / "scan.rtui")
    yield store, ids
    store.close()


@pytest.fixture
def fresh_study(tmp_path):
    store, ids = build_study(tmp_path / "fresh.rtui")
    yield store, ids
    store.close()
