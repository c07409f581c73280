"""Root conftest: every test and doctest runs against its own empty taxonomy cache."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point LABOURINT_MATCH_CACHE_DIR at a fresh directory, so no test uses a user's cache."""
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
