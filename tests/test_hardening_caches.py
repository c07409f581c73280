"""Issue 19, items 9–14: the on-disk caches are never trusted.

The threat is corruption, an entry written by a different version's writer, and decompression
bombs (not someone who can already edit the user's files). Each test plants a bad entry in a
private cache directory and checks that it is refused with a ``TaxonomyWarning`` naming the
reason, that the result equals a fresh build, and that nothing is allocated for a bomb.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from labourint_match import _cachefile
from labourint_match.errors import TaxonomyWarning
from labourint_match.resolve import SkillResolver, _index
from labourint_match.taxonomy import Taxonomy, _cache, _model, _rdf
from labourint_match.taxonomy._compiled import Compiled, csr

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and signals")

DOC = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix esco: <http://data.europa.eu/esco/model#> .
<urn:ex:cook> a skos:Concept, esco:Occupation ; skos:prefLabel "cook"@en ;
    esco:relatedEssentialSkill <urn:ex:baking> ; esco:relatedOptionalSkill <urn:ex:welding> .
<urn:ex:cooking> a skos:Concept, esco:Skill ; skos:prefLabel "cooking"@en ;
    skos:altLabel "food preparation"@en .
<urn:ex:baking> a skos:Concept, esco:Skill ; skos:prefLabel "baking"@en ;
    skos:prefLabel "bakning"@sv ; skos:broader <urn:ex:cooking> .
<urn:ex:welding> a skos:Concept, esco:Skill ; skos:prefLabel "welding"@en .
"""
BAKING, COOK, COOKING, WELDING = range(4)  # rows: concepts are sorted by URI


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, initially absent cache directory for each test."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def expected() -> Taxonomy:
    return Taxonomy.from_rdf(DOC, cache=False)


def _entry(cache_dir: Path, prefix: str = "taxonomy-") -> Path:
    (entry,) = cache_dir.glob(f"{prefix}*.npz")
    return entry


def _members(entry: Path) -> dict[str, np.ndarray[Any, Any]]:
    with np.load(entry, allow_pickle=False) as data:
        return {name: data[name].copy() for name in data.files}


def _key(entry: Path) -> str:
    return str(json.loads(_members(entry)["__header__"].tobytes())["key"])


def _cached_taxonomy(cache_dir: Path) -> tuple[Path, Compiled]:
    """Fill the cache with DOC's entry; return it and DOC's compiled form."""
    Taxonomy.from_rdf(DOC)
    return _entry(cache_dir), Taxonomy.from_rdf(DOC, cache=False).compiled


def _forge(entry: Path, compiled: Compiled, **changes: Any) -> None:
    """Write `compiled` with `changes` under `entry`'s key, with a checksum that matches: what a
    different version's writer, or a bug, would leave."""
    forged = dataclasses.replace(compiled, **changes)
    assert _cachefile.save_dataclass(entry, _key(entry), _cache.FORMAT_VERSION, forged)


def _load_warns(match: str) -> Taxonomy:
    with pytest.warns(TaxonomyWarning, match=match) as record:
        loaded = Taxonomy.from_rdf(DOC)
    assert all("ignored and rebuilt" in str(w.message) for w in record)
    return loaded


def _loads_quietly_from_cache(monkeypatch: pytest.MonkeyPatch) -> Taxonomy:
    """Load DOC, failing if it warns or parses the source (the rebuilt entry is good)."""
    with monkeypatch.context() as m:
        m.setattr(_model, "compile_rdf", _no_compiling)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return Taxonomy.from_rdf(DOC)


def _no_compiling(*args: object, **kwargs: object) -> None:
    raise AssertionError("the source was compiled again")


# -- 9: an entry rewritten with the same header ---------------------------------------------------


def _remove_broader(a: dict[str, np.ndarray[Any, Any]]) -> None:
    for name in ("broader", "narrower"):
        a[f"{name}_indptr"][:] = 0
        a[f"{name}_indices"] = a[f"{name}_indices"][:0]


def _essential_to_optional(a: dict[str, np.ndarray[Any, Any]]) -> None:
    a["occ_skill_essential"][:] = False


def _change_a_label(a: dict[str, np.ndarray[Any, Any]]) -> None:
    text = a["label_text"].tobytes().replace(b"baking", b"boking")
    a["label_text"] = np.frombuffer(text, dtype=np.uint8)


@pytest.mark.parametrize(
    "rewrite",
    [_remove_broader, _essential_to_optional, _change_a_label],
    ids=["broader-removed", "essential-made-optional", "label-changed"],
)
def test_19_9_an_entry_rewritten_under_the_same_header_is_refused_and_rebuilt(
    cache_dir: Path,
    expected: Taxonomy,
    monkeypatch: pytest.MonkeyPatch,
    rewrite: Callable[[dict[str, np.ndarray[Any, Any]]], None],
) -> None:
    Taxonomy.from_rdf(DOC)
    entry = _entry(cache_dir)
    members = _members(entry)
    rewrite(members)  # the header (format, key, counts) is kept as it was
    np.savez(entry, **members)  # type: ignore[arg-type]
    assert _load_warns("does not match its checksum") == expected
    assert _loads_quietly_from_cache(monkeypatch) == expected


def test_19_9_a_member_of_another_dtype_is_refused(cache_dir: Path, expected: Taxonomy) -> None:
    entry, compiled = _cached_taxonomy(cache_dir)
    _forge(entry, compiled, kind=compiled.kind.astype(np.int64))
    assert _load_warns("int64 where int8 is expected") == expected


# -- 10: cycles and self-loops ------------------------------------------------------------------


def _broader(compiled: Compiled, links: list[tuple[int, int]]) -> dict[str, Any]:
    n = len(compiled.uris)
    rows = np.array([r for r, _ in links], dtype=np.int64)
    cols = np.array([c for _, c in links], dtype=np.int64)
    indptr, indices, _ = csr(rows, cols, n)
    n_indptr, n_indices, _ = csr(cols, rows, n)
    return {
        "broader_indptr": indptr,
        "broader_indices": indices,
        "narrower_indptr": n_indptr,
        "narrower_indices": n_indices,
    }


@pytest.mark.parametrize(
    ("links", "match"),
    [
        ([(BAKING, BAKING)], "broader than itself"),
        ([(BAKING, COOKING), (COOKING, BAKING)], "broader links form a cycle"),
    ],
    ids=["self-loop", "cycle"],
)
def test_19_10_cycles_and_self_loops_the_rdf_loader_refuses_are_refused_from_the_cache(
    cache_dir: Path, expected: Taxonomy, links: list[tuple[int, int]], match: str
) -> None:
    entry, compiled = _cached_taxonomy(cache_dir)
    _forge(entry, compiled, **_broader(compiled, links))
    loaded = _load_warns(match)
    assert loaded == expected
    assert loaded.compiled.broader_indices.tolist() == [COOKING]


def test_19_10_narrower_links_that_do_not_mirror_broader_are_refused(
    cache_dir: Path, expected: Taxonomy
) -> None:
    entry, compiled = _cached_taxonomy(cache_dir)
    changes = _broader(compiled, [(BAKING, COOKING)])
    changes["narrower_indptr"] = np.zeros_like(changes["narrower_indptr"])
    changes["narrower_indices"] = changes["narrower_indices"][:0]
    _forge(entry, compiled, **changes)
    assert _load_warns("not the reverse of the broader") == expected


@pytest.mark.parametrize("depth", [63, 64, 65, 300])
def test_19_10_cycles_are_found_above_hierarchies_of_any_depth(depth: int) -> None:
    # A chain of `depth` links, then the same chain closed into a loop through its top.
    chain = np.arange(depth, dtype=np.int64)
    assert not _cache._has_cycle(chain, chain + 1, depth + 1)
    assert _cache._has_cycle(np.append(chain, depth), np.append(chain + 1, depth // 2), depth + 1)


# -- 11: codes out of range ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "position", "value", "match"),
    [
        ("kind", 0, 7, "kind codes out of range"),
        ("kind", 0, -1, "kind codes out of range"),
        ("skill_type", 0, 3, "skill_type codes out of range"),
        ("reuse_level", 0, 9, "reuse_level codes out of range"),
        ("label_kind", 0, 4, "label_kind codes out of range"),
        ("label_lang", 0, 2, "label language index out of range"),
        ("label_lang", 0, -1, "label_lang codes out of range"),
    ],
)
def test_19_11_codes_out_of_range_are_refused_not_an_index_error(
    cache_dir: Path, expected: Taxonomy, field: str, position: int, value: int, match: str
) -> None:
    entry, compiled = _cached_taxonomy(cache_dir)
    array = getattr(compiled, field).copy()
    array[position] = value
    _forge(entry, compiled, **{field: array})
    loaded = _load_warns(match)
    assert loaded == expected
    assert [loaded.concept(u).kind for u in loaded] == [expected.concept(u).kind for u in expected]


def test_19_11_language_table_rows_out_of_range_are_refused(
    cache_dir: Path, expected: Taxonomy
) -> None:
    entry, compiled = _cached_taxonomy(cache_dir)
    _forge(entry, compiled, language_codes=("sv",), language_concepts=np.full((1, 5), 99, np.int32))
    assert _load_warns("language table names concepts out of range") == expected


def test_19_11_arrays_of_the_wrong_shape_are_refused(cache_dir: Path, expected: Taxonomy) -> None:
    entry, compiled = _cached_taxonomy(cache_dir)
    _forge(entry, compiled, kind=np.stack([compiled.kind, compiled.kind], axis=1))
    assert _load_warns("kind has 2 dimensions") == expected


# -- 12: size bounded before reading --------------------------------------------------------------


def _npy_header(n: int) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": "|u1", "fortran_order": False, "shape": (n,)}
    )
    return buf.getvalue()


def _replace_member(entry: Path, name: str, write: Callable[[zipfile.ZipFile, str], None]) -> None:
    """Rewrite `entry` with member `name` written by `write`, the others copied as stored."""
    with zipfile.ZipFile(entry) as zf:
        others = {i.filename: zf.read(i) for i in zf.infolist() if i.filename != name}
    with zipfile.ZipFile(entry, "w") as zf:
        for member, data in others.items():
            zf.writestr(member, data, compress_type=zipfile.ZIP_STORED)
        write(zf, name)


def _deflated_zeros(size: int) -> Callable[[zipfile.ZipFile, str], None]:
    def write(zf: zipfile.ZipFile, name: str) -> None:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as out:
            out.write(_npy_header(size))
            zeros = bytes(1 << 20)
            for _ in range(size >> 20):
                out.write(zeros)

    return write


def _peak_bytes_of(load: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        load()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


BOMB = 64 << 20  # what the planted member inflates to; the entry itself stays below 100 kB


def test_19_12_a_compressed_member_is_refused_before_it_inflates(
    cache_dir: Path, expected: Taxonomy
) -> None:
    Taxonomy.from_rdf(DOC)
    entry = _entry(cache_dir)
    _replace_member(entry, "label_text.npy", _deflated_zeros(BOMB))
    assert entry.stat().st_size < 100_000
    loaded: list[Taxonomy] = []
    with pytest.warns(TaxonomyWarning, match="is compressed"):
        peak = _peak_bytes_of(lambda: loaded.append(Taxonomy.from_rdf(DOC)))
    assert loaded == [expected]
    assert peak < BOMB // 4


def test_19_12_a_member_announcing_more_than_it_holds_allocates_nothing(
    cache_dir: Path, expected: Taxonomy
) -> None:
    Taxonomy.from_rdf(DOC)
    entry = _entry(cache_dir)

    def huge_header(zf: zipfile.ZipFile, name: str) -> None:
        zf.writestr(name, _npy_header(1 << 34) + bytes(64), compress_type=zipfile.ZIP_STORED)

    _replace_member(entry, "label_text.npy", huge_header)
    loaded: list[Taxonomy] = []
    with pytest.warns(TaxonomyWarning, match="announces 17179869184 bytes of data but holds 64"):
        peak = _peak_bytes_of(lambda: loaded.append(Taxonomy.from_rdf(DOC)))
    assert loaded == [expected]
    assert peak < BOMB // 4


def test_19_12_an_entry_over_the_size_limit_is_not_opened_as_a_zip(
    cache_dir: Path, expected: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    Taxonomy.from_rdf(DOC)
    size = _entry(cache_dir).stat().st_size
    monkeypatch.setattr(_cachefile, "MAX_ENTRY_BYTES", size - 1, raising=False)

    def no_zip(*args: object, **kwargs: object) -> None:
        raise AssertionError("an oversized entry was opened")

    monkeypatch.setattr(_cachefile, "zipfile", SimpleNamespace(ZipFile=no_zip), raising=False)
    assert _load_warns(f"more than the {size - 1} bytes a cache entry may have") == expected


def test_19_12_members_the_format_does_not_have_are_refused(
    cache_dir: Path, expected: Taxonomy
) -> None:
    Taxonomy.from_rdf(DOC)
    entry = _entry(cache_dir)
    with zipfile.ZipFile(entry, "a") as zf:
        zf.writestr("extra.npy", _npy_header(0))
    assert _load_warns("its members are not those of a Compiled entry") == expected


# -- 13: the resolver's index cache -------------------------------------------------------------


@pytest.fixture
def small() -> Taxonomy:
    return Taxonomy.from_rdf(DOC, cache=False)


def _index_entry(cache_dir: Path, small: Taxonomy) -> tuple[Path, Any]:
    SkillResolver(small)
    return _entry(cache_dir, "resolve-index-"), _index.build_index(small, fold_nordic=False)


def _resolver_warns(small: Taxonomy, match: str) -> SkillResolver:
    with pytest.warns(TaxonomyWarning, match=match):
        resolver = SkillResolver(small)
    assert not resolver.from_cache
    assert resolver.resolve("baking")[0].uri == "urn:ex:baking"
    assert SkillResolver(small).from_cache  # rebuilt and written back
    return resolver


def test_19_13_an_index_entry_rewritten_under_the_same_header_is_refused(
    cache_dir: Path, small: Taxonomy
) -> None:
    entry, _ = _index_entry(cache_dir, small)
    members = _members(entry)
    members["owner"] = members["owner"][::-1].copy()
    np.savez(entry, **members)  # type: ignore[arg-type]
    _resolver_warns(small, "does not match its checksum")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda ix: {"label_ids": ix.label_ids + 1000}, "label ids out of the taxonomy's range"),
        (lambda ix: {"owner": ix.owner[::-1].copy()}, "label owners differ"),
        (lambda ix: {"features": ("", *ix.features[1:])}, "feature names must start"),
        (lambda ix: {"exact_keys": (ix.exact_keys[0],) * len(ix.exact_keys)}, "exact keys"),
        (lambda ix: {"mat_indptr": ix.mat_indptr[::-1].copy()}, "mat row pointers"),
        (lambda ix: {"idf": ix.idf.astype(np.float64)}, "float64 where float32 is expected"),
    ],
    ids=["label-ids", "owner", "empty-feature", "repeated-keys", "indptr", "dtype"],
)
def test_19_13_an_index_entry_from_another_writer_is_checked_against_the_taxonomy(
    cache_dir: Path, small: Taxonomy, change: Callable[[Any], dict[str, Any]], match: str
) -> None:
    entry, index = _index_entry(cache_dir, small)
    forged = dataclasses.replace(index, **change(index))
    assert _cachefile.save_dataclass(entry, _key(entry), _index.FORMAT_VERSION, forged)
    _resolver_warns(small, match)


def test_19_13_a_compressed_index_member_is_refused_before_it_inflates(
    cache_dir: Path, small: Taxonomy
) -> None:
    entry, _ = _index_entry(cache_dir, small)
    _replace_member(entry, "norm_text.npy", _deflated_zeros(BOMB))
    resolvers: list[SkillResolver] = []
    with pytest.warns(TaxonomyWarning, match="is compressed"):
        peak = _peak_bytes_of(lambda: resolvers.append(SkillResolver(small)))
    assert not resolvers[0].from_cache
    assert peak < BOMB // 4


# -- 14: temporary files of killed writers ------------------------------------------------------

_KILLED_WRITER = """
import os, signal, sys
import numpy as np
from labourint_match.taxonomy import Taxonomy

def killed(fh, **arrays):
    fh.write(b"PK half an entry")
    fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)

np.savez = killed
Taxonomy.from_rdf(sys.stdin.buffer.read())
"""


def _temporaries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob(".taxonomy-*.tmp"))


@posix_only
def test_19_14_a_writer_killed_mid_write_leaves_no_orphan_for_good(
    cache_dir: Path, expected: Taxonomy
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER], input=DOC, env=os.environ, capture_output=True
    )
    assert done.returncode == -signal.SIGKILL
    (orphan,) = _temporaries(cache_dir)
    an_hour_ago = time.time() - 3600
    os.utime(orphan, (an_hour_ago, an_hour_ago))
    assert Taxonomy.from_rdf(DOC) == expected  # a miss, so this writes the entry
    assert _temporaries(cache_dir) == []
    assert len(list(cache_dir.glob("taxonomy-*.npz"))) == 1


def test_19_14_a_recent_temporary_file_of_a_running_writer_is_kept(cache_dir: Path) -> None:
    cache_dir.mkdir(mode=0o700)
    busy = cache_dir / f".taxonomy-{'0' * 40}-abc_1234.tmp"
    busy.write_bytes(b"PK being written")
    unrelated = cache_dir / ".notes.tmp"
    unrelated.write_text("not ours")
    old = time.time() - 3600
    os.utime(unrelated, (old, old))
    Taxonomy.from_rdf(DOC)
    assert busy.exists()
    assert unrelated.exists()


@posix_only
def test_19_12_a_fifo_in_an_entrys_place_does_not_hang_the_load(
    cache_dir: Path, expected: Taxonomy
) -> None:
    Taxonomy.from_rdf(DOC)
    entry = _entry(cache_dir)
    entry.unlink()
    os.mkfifo(entry)
    assert _load_warns("not a regular file") == expected
    assert entry.is_file()  # the rebuilt entry took its place


# -- the cache directory ------------------------------------------------------------------------


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the compilations from source."""
    calls: list[int] = []
    original = _rdf.compile_rdf

    def counting(*args: Any, **kwargs: Any) -> Compiled:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(_model, "compile_rdf", counting)
    return calls


@posix_only
def test_19_caches_a_new_cache_directory_is_private(cache_dir: Path) -> None:
    Taxonomy.from_rdf(DOC)
    assert cache_dir.stat().st_mode & 0o077 == 0


@posix_only
def test_19_caches_a_directory_every_user_may_write_is_not_used(
    cache_dir: Path, expected: Taxonomy, compiles: list[int]
) -> None:
    Taxonomy.from_rdf(DOC)
    entry = _entry(cache_dir)
    cache_dir.chmod(0o777)
    with pytest.warns(TaxonomyWarning, match="every user may write to it.*chmod go-w"):
        assert Taxonomy.from_rdf(DOC) == expected
    assert compiles == [1, 1]  # the entry there was not read
    before = entry.stat().st_mtime_ns
    with pytest.warns(TaxonomyWarning, match="not used"):
        SkillResolver(expected)
    assert not list(cache_dir.glob("resolve-index-*"))  # nor written to
    assert entry.stat().st_mtime_ns == before
    cache_dir.chmod(0o700)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Taxonomy.from_rdf(DOC)
    assert compiles == [1, 1]


@posix_only
@pytest.mark.skipif(os.name == "posix" and os.geteuid() != 0, reason="needs chown")
@pytest.mark.parametrize(
    ("owner", "group", "mode", "problem"),
    [
        (12345, None, 0o700, "belongs to another user"),
        (None, 12345, 0o770, "its group \\(gid 12345\\) may write to it"),
    ],
)
def test_19_caches_a_directory_of_another_user_or_a_shared_group_is_not_used(
    cache_dir: Path,
    expected: Taxonomy,
    compiles: list[int],
    owner: int | None,
    group: int | None,
    mode: int,
    problem: str,
) -> None:
    Taxonomy.from_rdf(DOC)
    os.chown(cache_dir, -1 if owner is None else owner, -1 if group is None else group)
    cache_dir.chmod(mode)
    with pytest.warns(TaxonomyWarning, match=problem):
        assert Taxonomy.from_rdf(DOC) == expected
    assert compiles == [1, 1]


@posix_only
def test_19_caches_a_group_writable_directory_of_the_users_own_group_is_used(
    cache_dir: Path, compiles: list[int]
) -> None:
    Taxonomy.from_rdf(DOC)
    os.chown(cache_dir, -1, os.getegid())
    cache_dir.chmod(0o770)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Taxonomy.from_rdf(DOC)
    assert compiles == [1]
