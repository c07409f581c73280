"""Shared fixtures: the real ESCO archives (skipped where ../shared is absent) and fixture paths."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ESCO_DIR = SHARED / "esco"
ESCO_CLASSIFICATION = ESCO_DIR / "esco-v1.1.1-classification-en-csv.zip"
ESCO_RELATIONS = ESCO_DIR / "esco-v1.1.1-relations-csv.zip"
VALIDATION_DIR = SHARED / "validation"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def esco_paths() -> tuple[Path, Path]:
    """The real ESCO v1.1.1 archives; tests using them skip where ../shared is absent."""
    if not (ESCO_CLASSIFICATION.is_file() and ESCO_RELATIONS.is_file()):
        pytest.skip(
            f"real ESCO v1.1.1 archives not found at {ESCO_DIR} (they live in ../shared, "
            "outside a user's clone); the small fixtures under tests/fixtures test the same code"
        )
    return ESCO_CLASSIFICATION, ESCO_RELATIONS


@pytest.fixture(scope="session")
def esco(esco_paths: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> object:
    """Full ESCO, loaded once per session (from its own cache directory)."""
    import warnings

    from labourint_match import Taxonomy

    mp = pytest.MonkeyPatch()
    mp.setenv("LABOURINT_MATCH_CACHE_DIR", str(tmp_path_factory.mktemp("esco-cache")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        taxonomy = Taxonomy.from_esco_csv(*esco_paths)
    mp.undo()
    return taxonomy
