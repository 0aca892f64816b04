"""Shared test setup: Textual snapshots live in the top-level `snapshots/` folder.

pytest-textual-snapshot's `snap_compare` stores SVGs next to the tests by default; swapping
its extension for one whose `dirname` points at `<repo>/snapshots/` keeps them in one place.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_textual_snapshot
from syrupy import SnapshotAssertion

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"


class RepoSnapshotExtension(pytest_textual_snapshot.SVGImageExtension):
    """SVG snapshots under `snapshots/<test file>/`."""

    @classmethod
    def dirname(cls, *, test_location) -> str:  # type: ignore[no-untyped-def]
        return str(SNAPSHOTS / test_location.basename)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion, monkeypatch: pytest.MonkeyPatch) -> SnapshotAssertion:
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", RepoSnapshotExtension)
    return snapshot.use_extension(RepoSnapshotExtension)
