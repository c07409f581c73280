"""The package root exports exactly what ``__all__`` says, sorted, each documented."""

from __future__ import annotations

import labourint_match


def test_all_is_sorted_and_unique() -> None:
    names = labourint_match.__all__
    assert list(names) == sorted(names)
    assert len(set(names)) == len(names)


def test_every_name_in_all_exists_and_public_names_are_in_all() -> None:
    for name in labourint_match.__all__:
        assert hasattr(labourint_match, name), name
    public = {
        name
        for name, value in vars(labourint_match).items()
        if not name.startswith("_")
        and getattr(value, "__module__", "").startswith("labourint_match")
    }
    assert public <= set(labourint_match.__all__)


def test_every_exported_class_and_function_has_a_docstring() -> None:
    for name in labourint_match.__all__:
        value = getattr(labourint_match, name)
        if callable(value):
            assert (value.__doc__ or "").strip(), name


def test_package_is_typed() -> None:
    from importlib import resources

    assert resources.files("labourint_match").joinpath("py.typed").is_file()


def test_version_is_a_string() -> None:
    assert isinstance(labourint_match.__version__, str)
    assert labourint_match.__version__[0].isdigit()


# Names importable before the modules became packages, kept out of __all__ (not API, but code
# may import them): each still imports from the same place.
KEPT = {
    "labourint_match.profiles": (
        "RecordId", "SkillRef", "ConceptUri", "FreeText", "Code", "LanguageCode", "CountryCode",
        "Cefr", "SkillLevel", "Isced", "IscedField", "Years", "Months", "Weight", "Latitude",
        "Longitude", "RecordT",
    ),
    "labourint_match.cli": (
        "load_taxonomy", "PROG", "FORMATS", "RANK_COLUMNS", "ASSIGN_COLUMNS", "RESOLVE_COLUMNS",
    ),
    "labourint_match.analysis": ("NeedKey", "SkillKey"),
}  # fmt: skip


def test_names_importable_before_still_import() -> None:
    import importlib

    for module, names in KEPT.items():
        package = importlib.import_module(module)
        missing = [name for name in names if not hasattr(package, name)]
        assert missing == [], module
        assert not set(names) & set(package.__all__), module
    from labourint_match.cli import PROG, load_taxonomy
    from labourint_match.profiles import RecordId, RecordT

    assert PROG == "labourint-match"
    assert callable(load_taxonomy)
    assert RecordId is not None
    assert RecordT.__name__ == "RecordT"
