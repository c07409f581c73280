"""Loading a taxonomy never touches the network, never expands entities, never trusts the cache.

An audit hook records every connection attempt (``socket.connect``, ``socket.getaddrinfo``,
``urllib.Request``, ``http.client.connect``) and every ``open`` of a watched secret file, and a TCP
listener on 127.0.0.1 records every connection it receives; hostile sources point at that listener.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import sys
import threading
import time
import urllib.request
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from labourint_match.errors import LabourintMatchError, TaxonomyError, TaxonomyWarning
from labourint_match.taxonomy import Taxonomy

RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
SKOS_NS = 'xmlns:skos="http://www.w3.org/2004/02/skos/core#"'
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own, initially absent, cache directory."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(directory))
    return directory


def ttl(*lines: str) -> bytes:
    """A Turtle document: the skos prefix, then `lines`."""
    return (f"@prefix skos: <{SKOS}> .\n" + "\n".join(lines) + "\n").encode()


SMALL = ttl(
    '<urn:ex:cooking> a skos:Concept ; skos:prefLabel "cooking"@en .',
    '<urn:ex:baking> a skos:Concept ; skos:prefLabel "baking"@en ; skos:broader <urn:ex:cooking> .',
)
OTHER = ttl('<urn:ex:welding> a skos:Concept ; skos:prefLabel "welding"@en .')


def rdf_xml(doctype: str, label: str = "cook", about: str = "urn:ex:a") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<rdf:RDF {RDF_NS} {SKOS_NS}>\n'
        f'  <skos:Concept rdf:about="{about}">\n'
        f'    <skos:prefLabel xml:lang="en">{label}</skos:prefLabel>\n'
        "  </skos:Concept>\n</rdf:RDF>\n"
    ).encode()


def jsonld(context: str) -> bytes:
    return (
        f'{{"@context": {context}, "@id": "urn:ex:a", "@type": "{SKOS}Concept", '
        f'"{SKOS}prefLabel": {{"@value": "cook", "@language": "en"}}}}'
    ).encode()


# -- network watch: an audit hook and a local listener --------------------------------------------

_NETWORK_EVENTS = frozenset({
    "socket.connect", "socket.connect_ex", "socket.getaddrinfo", "socket.gethostbyname",
    "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto", "urllib.Request",
    "http.client.connect", "ftplib.connect",
})  # fmt: skip
# Audit hooks cannot be removed: the hook is installed once and records only while "on" is set.
_AUDIT: dict[str, Any] = {"installed": False, "on": False, "paths": (), "events": []}


def _audit_hook(event: str, args: tuple[Any, ...]) -> None:
    if not _AUDIT["on"]:
        return
    if event in _NETWORK_EVENTS:
        _AUDIT["events"].append((event, repr(args)[:200]))
    elif event == "open" and args and any(p in str(args[0]) for p in _AUDIT["paths"]):
        _AUDIT["events"].append((event, str(args[0])[:200]))


class _Listener:
    """A TCP server on 127.0.0.1 that records (and drops) every connection it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port: int = self.sock.getsockname()[1]
        self.accepted: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(addr)
            conn.close()

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.settimeout(0.0)
        try:  # a connection still waiting in the backlog counts too
            conn, addr = self.sock.accept()
        except OSError:
            pass
        else:
            self.accepted.append(addr)
            conn.close()
        self.sock.close()


class NetworkWatch:
    def __init__(self, listener: _Listener) -> None:
        self.listener = listener
        self.url = f"http://127.0.0.1:{listener.port}"

    @property
    def events(self) -> list[tuple[str, str]]:
        return list(_AUDIT["events"])

    def watch_paths(self, *paths: str) -> None:
        _AUDIT["paths"] = tuple(paths)

    def wait_for_connection(self, timeout: float = 2.0) -> bool:
        deadline = time.monotonic() + timeout
        while not self.listener.accepted and time.monotonic() < deadline:
            time.sleep(0.01)
        return bool(self.listener.accepted)

    def assert_quiet(self) -> None:
        _AUDIT["on"] = False
        self.listener.close()
        assert self.events == [], "a load tried to reach the network or a watched file"
        assert self.listener.accepted == [], "the local listener received a connection"


@pytest.fixture
def network() -> Iterator[NetworkWatch]:
    if not _AUDIT["installed"]:
        sys.addaudithook(_audit_hook)
        _AUDIT["installed"] = True
    import rdflib  # noqa: F401 - imported before recording so that its import is not watched

    listener = _Listener()
    _AUDIT.update(on=True, paths=(), events=[])
    try:
        yield NetworkWatch(listener)
    finally:
        _AUDIT["on"] = False
        listener.close()


def test_network_watch_sees_a_real_connection(network: NetworkWatch) -> None:
    # The control: the hook and the listener do notice connections, so "quiet" below means quiet.
    socket.create_connection(("127.0.0.1", network.listener.port), timeout=2).close()
    with contextlib.suppress(OSError):  # the listener drops the connection without answering
        urllib.request.urlopen(network.url + "/ctx.jsonld", timeout=2)
    assert network.wait_for_connection()
    seen = {event for event, _ in network.events}
    assert {"socket.connect", "urllib.Request", "http.client.connect"} <= seen


def test_network_watch_sees_a_watched_file_being_opened(
    network: NetworkWatch, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cr3t")
    network.watch_paths(str(secret))
    secret.read_text()
    assert ("open", str(secret)) in network.events


def _xxe(target: str) -> bytes:
    return rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "{target}">]>', label="&xxe;")


# Each case: (what the message must say, a function of (listener URL, tmp dir) that loads).
HOSTILE: dict[str, tuple[str, Callable[[str, Path], object]]] = {
    "jsonld-remote-context-string": (
        "remote @context",
        lambda url, tmp: Taxonomy.from_rdf(jsonld(f'"{url}/ctx.jsonld"'), cache=False),
    ),
    "jsonld-remote-context-in-list": (
        "remote @context",
        lambda url, tmp: Taxonomy.from_rdf(
            jsonld(f'[{{"skos": "{SKOS}"}}, "{url}/ctx.jsonld"]'), cache=False
        ),
    ),
    "jsonld-import": (
        "@import",
        lambda url, tmp: Taxonomy.from_rdf(
            jsonld(f'{{"@version": 1.1, "@import": "{url}/ctx.jsonld"}}'), cache=False
        ),
    ),
    "jsonld-scoped-remote-context": (
        "remote @context",
        lambda url, tmp: Taxonomy.from_rdf(
            jsonld(f'{{"p": {{"@id": "urn:ex:p", "@context": "{url}/scoped.jsonld"}}}}'),
            cache=False,
        ),
    ),
    "jsonld-remote-context-in-graph-from-file": (
        "remote @context",
        lambda url, tmp: Taxonomy.from_rdf(
            _file(tmp, "graph.jsonld", f'{{"@graph": [{{"@context": "{url}/c"}}]}}'.encode()),
            cache=False,
        ),
    ),
    "xxe-http": (
        "external entity 'xxe'",
        lambda url, tmp: Taxonomy.from_rdf(_xxe(f"{url}/x"), cache=False),
    ),
    "xxe-file-etc-passwd": (
        "external entity 'xxe'",
        lambda url, tmp: Taxonomy.from_rdf(_xxe("file:///etc/passwd"), cache=False),
    ),
    "xxe-local-secret-from-file": (
        "external entity 'xxe'",
        lambda url, tmp: Taxonomy.from_rdf(
            _file(tmp, "xxe.rdf", _xxe((tmp / "secret.txt").as_uri())), cache=False
        ),
    ),
    "xxe-relative-secret-from-file": (
        "external entity 'xxe'",
        lambda url, tmp: Taxonomy.from_rdf(_file(tmp, "xxe.owl", _xxe("secret.txt")), cache=False),
    ),
    "xxe-public-id": (
        "external entity 'xxe'",
        lambda url, tmp: Taxonomy.from_rdf(
            rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY xxe PUBLIC "-//X//Y" "{url}/x">]>', "&xxe;"),
            cache=False,
        ),
    ),
    "xxe-in-attribute": (
        "external entity 'xxe'",
        lambda url, tmp: Taxonomy.from_rdf(
            rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "{url}/x">]>', about="&xxe;"),
            cache=False,
        ),
    ),
    "external-dtd": (
        "external DTD",
        lambda url, tmp: Taxonomy.from_rdf(
            rdf_xml(f'<!DOCTYPE rdf:RDF SYSTEM "{url}/x.dtd">'), cache=False
        ),
    ),
    "external-dtd-public": (
        "external DTD",
        lambda url, tmp: Taxonomy.from_rdf(
            rdf_xml(f'<!DOCTYPE rdf:RDF PUBLIC "-//X//DTD Y//EN" "{url}/x.dtd">'), cache=False
        ),
    ),
    "parameter-entity-external": (
        "parameter entity 'p'",
        lambda url, tmp: Taxonomy.from_rdf(
            rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>'), cache=False
        ),
    ),
    "parameter-entity-internal": (
        "parameter entity 'p'",
        lambda url, tmp: Taxonomy.from_rdf(
            rdf_xml(
                "<!DOCTYPE rdf:RDF [<!ENTITY % p \"<!ENTITY q SYSTEM '" + url + "/q'>\"> %p;]>",
                label="&q;",
            ),
            cache=False,
        ),
    ),
    "url-source-http": (
        "URL sources are refused",
        lambda url, tmp: Taxonomy.from_rdf(f"{url}/skills.ttl", cache=False),
    ),
    "url-source-https": (
        "URL sources are refused",
        lambda url, tmp: Taxonomy.from_rdf(f"https://127.0.0.1:{url.rsplit(':', 1)[1]}/s.ttl"),
    ),
    "url-source-file": (
        "URL sources are refused",
        lambda url, tmp: Taxonomy.from_rdf("file:///etc/passwd", format="turtle"),
    ),
    "url-source-uppercase-scheme": (
        "URL sources are refused",
        lambda url, tmp: Taxonomy.from_rdf(url.replace("http", "HTTP") + "/s.rdf"),
    ),
    "url-esco-classification": (
        "URL sources are refused",
        lambda url, tmp: Taxonomy.from_esco_csv(f"{url}/esco-classification.zip"),
    ),
    "url-esco-classification-in-list": (
        "URL sources are refused",
        lambda url, tmp: Taxonomy.from_esco_csv([_esco(tmp), f"{url}/esco-sv.zip"]),
    ),
    "url-esco-relations": (
        "URL sources are refused",
        lambda url, tmp: Taxonomy.from_esco_csv(_esco(tmp), relations=f"{url}/relations.zip"),
    ),
}


def _file(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def _esco(tmp: Path) -> Path:
    """A minimal ESCO-like classification folder (one skill, one occupation)."""
    folder = tmp / "esco"
    folder.mkdir(exist_ok=True)
    (folder / "skills_en.csv").write_text(
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels\n"
        "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s1,knowledge,,food hygiene,\n"
    )
    (folder / "occupations_en.csv").write_text(
        "conceptType,conceptUri,preferredLabel,altLabels\n"
        "Occupation,http://data.europa.eu/esco/occupation/o1,cook,chef\n"
    )
    (folder / "occupationSkillRelations.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\n"
        "http://data.europa.eu/esco/occupation/o1,essential,knowledge,"
        "http://data.europa.eu/esco/skill/s1\n"
    )
    (folder / "broaderRelationsSkillPillar.csv").write_text(
        "conceptType,conceptUri,broaderType,broaderUri\n"
    )
    return folder


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_source_is_refused_without_any_connection_or_file_read(
    case: str, network: NetworkWatch, tmp_path: Path
) -> None:
    fragment, load = HOSTILE[case]
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cr3t")
    network.watch_paths("/etc/passwd", str(secret))
    with pytest.raises(TaxonomyError) as info:
        load(network.url, tmp_path)
    network.assert_quiet()
    assert isinstance(info.value, LabourintMatchError)
    assert fragment in str(info.value)
    assert "s3cr3t" not in str(info.value)


def test_the_small_esco_folder_used_above_loads(tmp_path: Path) -> None:
    # Without this, the ESCO URL cases could pass because the folder itself is broken.
    t = Taxonomy.from_esco_csv(_esco(tmp_path), cache=False)
    assert t.occupation_skills("http://data.europa.eu/esco/occupation/o1") == (
        ("http://data.europa.eu/esco/skill/s1", "essential"),
    )


def test_path_object_that_looks_like_a_url_is_a_missing_file_not_a_fetch(
    network: NetworkWatch,
) -> None:
    with pytest.raises(TaxonomyError, match="no such file"):
        Taxonomy.from_rdf(Path("http://127.0.0.1:9/skills.ttl"), cache=False)
    network.assert_quiet()


# -- XXE never yields a silently empty label -------------------------------------------------------


@pytest.mark.parametrize(
    "doc",
    [
        _xxe("http://127.0.0.1:9/x"),
        _xxe("file:///etc/passwd"),
        _xxe("/nonexistent/label.txt"),
        rdf_xml(
            '<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>', label="cook &xxe;"
        ),
        rdf_xml('<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x" NDATA gif>]>'),
    ],
    ids=["http", "etc-passwd", "missing-file", "partial-label", "unparsed-entity"],
)
def test_xxe_payload_raises_rather_than_loading_an_empty_or_partial_label(doc: bytes) -> None:
    with pytest.raises(TaxonomyError, match="external entity 'xxe'") as info:
        Taxonomy.from_rdf(doc, cache=False)
    assert info.value.source == "<bytes>"
    assert info.value.line == 2


def test_xxe_in_an_rdf_file_names_the_file(tmp_path: Path) -> None:
    path = _file(tmp_path, "hostile.rdf", _xxe("file:///etc/passwd"))
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(path, cache=False)
    assert info.value.source == str(path)
    assert str(info.value).startswith(f"{path}, line 2: RDF/XML refused")


def test_xxe_declared_after_a_comment_is_still_found() -> None:
    doc = b"<!-- exported by a tool -->\n" + _xxe("file:///etc/passwd").split(b"\n", 1)[1]
    with pytest.raises(TaxonomyError, match="external entity"):
        Taxonomy.from_rdf(doc, format="xml", cache=False)


def test_xxe_in_utf16_rdf_xml_is_still_refused() -> None:
    text = _xxe("file:///etc/passwd").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    with pytest.raises(TaxonomyError, match="external entity"):
        Taxonomy.from_rdf(text.encode("utf-16"), format="xml", cache=False)


# -- entity expansion -----------------------------------------------------------------------------


def _billion_laughs(levels: int = 10) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    return rdf_xml(f"<!DOCTYPE rdf:RDF [{''.join(entities)}]>", label=f"&lol{levels - 1};")


def test_billion_laughs_is_refused_in_under_a_second() -> None:
    start = time.perf_counter()
    with pytest.raises(TaxonomyError, match="entity expansion") as info:
        Taxonomy.from_rdf(_billion_laughs(), cache=False)
    assert time.perf_counter() - start < 1.0
    assert info.value.line == 2


def test_billion_laughs_in_attribute_values_is_refused_in_under_a_second() -> None:
    doc = _billion_laughs().replace(b'rdf:about="urn:ex:a"', b'rdf:about="urn:ex:&lol9;"')
    start = time.perf_counter()
    with pytest.raises(TaxonomyError, match="entity expansion"):
        Taxonomy.from_rdf(doc, cache=False)
    assert time.perf_counter() - start < 1.0


def test_many_flat_entities_are_refused_in_under_a_second() -> None:
    entities = "".join(f'<!ENTITY e{i} "{"x" * 2000}">' for i in range(200))
    label = "".join(f"&e{i};" for i in range(200)) * 50
    start = time.perf_counter()
    with pytest.raises(TaxonomyError, match="too many or too large entity declarations"):
        Taxonomy.from_rdf(rdf_xml(f"<!DOCTYPE rdf:RDF [{entities}]>", label=label), cache=False)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("size", "refs"), [(60_000, 2_000), (65_000, 100), (1_000, 20_000), (10, 500_000)]
)
def test_quadratic_blowup_finishes_quickly_refused_or_parsed(size: int, refs: int) -> None:
    doc = rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY a "{"A" * size}">]>', label="&a;" * refs)
    start = time.perf_counter()
    try:
        label = Taxonomy.from_rdf(doc, cache=False).concept("urn:ex:a").pref_labels["en"]
    except TaxonomyError:
        label = None  # refused: fine, as long as it is quick
    assert time.perf_counter() - start < 2.0
    assert label in (None, "A" * (size * refs))


@pytest.mark.parametrize(
    "label",
    ["&#65;" * 500_000, "&amp;" * 500_000, "ab\n" * 500_000],
    ids=["charref", "amp", "lines"],
)
def test_literal_in_many_small_pieces_parses_in_linear_time(
    label: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No DTD at all: expat hands over one piece per reference or line, which must not go quadratic.
    # (The label limit, far below these, is raised: the parse is what is timed.)
    monkeypatch.setattr("labourint_match.taxonomy._compiled.MAX_LABEL_CHARS", 1 << 21)
    start = time.perf_counter()
    t = Taxonomy.from_rdf(rdf_xml("", label=label), cache=False)
    assert len(t.concept("urn:ex:a").pref_labels["en"]) in (500_000, 3 * 500_000 - 1)
    assert time.perf_counter() - start < 2.0


def test_internal_non_nested_entities_as_protege_writes_them_still_load() -> None:
    doc = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
    <!ENTITY rdf "http://www.w3.org/1999/02/22-rdf-syntax-ns#" >
    <!ENTITY skos "http://www.w3.org/2004/02/skos/core#" >
    <!ENTITY esco "http://data.europa.eu/esco/model#" >
    <!ENTITY ex "urn:ex:" >
    <!ENTITY cook "cook" >
]>
<rdf:RDF xmlns:rdf="&rdf;" xmlns:skos="&skos;" xmlns:esco="&esco;">
  <rdf:Description rdf:about="&ex;cooking">
    <rdf:type rdf:resource="&skos;Concept"/>
    <rdf:type rdf:resource="&esco;Skill"/>
    <skos:prefLabel xml:lang="en">&cook;ing</skos:prefLabel>
  </rdf:Description>
  <rdf:Description rdf:about="&ex;baking">
    <rdf:type rdf:resource="&skos;Concept"/>
    <skos:prefLabel xml:lang="en">baking</skos:prefLabel>
    <skos:altLabel xml:lang="en">oven &amp; bread &#x2014; &lt;pastry&gt;</skos:altLabel>
    <skos:broader rdf:resource="&ex;cooking"/>
  </rdf:Description>
</rdf:RDF>
"""
    t = Taxonomy.from_rdf(doc, cache=False)
    assert t.uris == ("urn:ex:baking", "urn:ex:cooking")
    assert t.label("urn:ex:cooking") == "cooking"
    assert t.concept("urn:ex:baking").alt_labels["en"] == ("oven & bread \u2014 <pastry>",)
    assert t.broader("urn:ex:baking") == ("urn:ex:cooking",)


# -- nothing passed in is mutated -----------------------------------------------------------------


def _snapshot(root: Path) -> dict[str, tuple[str, int]]:
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    return {
        str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths
    }


@pytest.mark.parametrize("cache", [True, False])
def test_loading_leaves_the_source_file_content_and_mtime_unchanged(
    tmp_path: Path, cache: bool
) -> None:
    path = _file(tmp_path, "skills.ttl", SMALL)
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = _snapshot(path)
    Taxonomy.from_rdf(path, cache=cache)
    Taxonomy.from_rdf(path, cache=cache)
    assert _snapshot(path) == before


def test_a_refused_hostile_file_is_left_unchanged(tmp_path: Path) -> None:
    path = _file(tmp_path, "hostile.rdf", _billion_laughs())
    before = _snapshot(path)
    with pytest.raises(TaxonomyError):
        Taxonomy.from_rdf(path)
    assert _snapshot(path) == before


def test_loading_leaves_bytes_and_bytearray_sources_unchanged() -> None:
    data = bytearray(SMALL)
    frozen = bytes(data)
    t = Taxonomy.from_rdf(data, cache=False)
    assert data == frozen
    assert Taxonomy.from_rdf(memoryview(frozen), cache=False) == t
    assert Taxonomy.from_rdf(frozen, cache=False) == t


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_loading_esco_csv_leaves_the_folder_or_archive_unchanged(
    tmp_path: Path, as_zip: bool
) -> None:
    source: Path = _esco(tmp_path)
    if as_zip:
        archive = tmp_path / "esco.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for csv_file in sorted(source.glob("*.csv")):
                zf.write(csv_file, csv_file.name)
        source = archive
    before = _snapshot(tmp_path)
    Taxonomy.from_esco_csv(source)
    Taxonomy.from_esco_csv(source)
    cache = str(tmp_path / "cache")
    assert {k: v for k, v in _snapshot(tmp_path).items() if not k.startswith(cache)} == before


# -- the cache ------------------------------------------------------------------------------------


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("taxonomy-*.npz")) if cache_dir.exists() else []


def test_cache_true_writes_one_entry(cache_dir: Path) -> None:
    # The control for the cache=False test: the cache does write where it is on.
    Taxonomy.from_rdf(SMALL)
    assert len(_entries(cache_dir)) == 1


def test_cache_false_writes_nothing_into_the_cache_dir(cache_dir: Path, tmp_path: Path) -> None:
    Taxonomy.from_rdf(SMALL, cache=False)
    Taxonomy.from_rdf(_file(tmp_path, "s.ttl", OTHER), cache=False)
    Taxonomy.from_esco_csv(_esco(tmp_path), cache=False)
    assert not cache_dir.exists() or list(cache_dir.iterdir()) == []


def test_second_load_is_equal_and_comes_from_the_cache(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Taxonomy.from_rdf(SMALL)
    from labourint_match.taxonomy import _model

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the second load parsed the source again")

    monkeypatch.setattr(_model, "compile_rdf", no_parsing)
    second = Taxonomy.from_rdf(SMALL)
    assert second == first
    assert second.concept("urn:ex:baking") == first.concept("urn:ex:baking")


def _valid_npz(path: Path) -> bool:
    with np.load(path, allow_pickle=False) as data:
        return "__header__" in data.files and all(data[name] is not None for name in data.files)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b"\x93NUMPY garbage" + bytes(range(256)) * 4,
        lambda b: b"",
        lambda b: b[:-200] + bytes(200),
    ],
    ids=["truncated", "garbage", "empty", "zeroed-tail"],
)
def test_damaged_cache_entry_is_rebuilt_not_trusted(
    cache_dir: Path, damage: Callable[[bytes], bytes]
) -> None:
    expected = Taxonomy.from_rdf(SMALL, cache=False)
    Taxonomy.from_rdf(SMALL)
    (entry,) = _entries(cache_dir)
    entry.write_bytes(damage(entry.read_bytes()))
    with pytest.warns(TaxonomyWarning, match="ignored and rebuilt"):
        rebuilt = Taxonomy.from_rdf(SMALL)
    assert rebuilt == expected
    assert _entries(cache_dir) == [entry]
    assert _valid_npz(entry)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Taxonomy.from_rdf(SMALL) == expected


def test_cache_entry_of_another_taxonomy_under_this_key_is_not_trusted(cache_dir: Path) -> None:
    expected = Taxonomy.from_rdf(SMALL, cache=False)
    Taxonomy.from_rdf(SMALL)
    (mine,) = _entries(cache_dir)
    Taxonomy.from_rdf(OTHER)
    (theirs,) = [p for p in _entries(cache_dir) if p != mine]
    mine.write_bytes(theirs.read_bytes())  # a well-formed entry, but for other content
    with pytest.warns(TaxonomyWarning, match="another format version or key"):
        assert Taxonomy.from_rdf(SMALL) == expected


def test_unwritable_cache_dir_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a regular file, so nothing can be created beneath it")
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(blocker / "cache"))
    expected = Taxonomy.from_rdf(SMALL, cache=False)
    assert Taxonomy.from_rdf(SMALL) == expected
    assert Taxonomy.from_rdf(SMALL) == expected
    assert Taxonomy.from_esco_csv(_esco(tmp_path)) == Taxonomy.from_esco_csv(
        _esco(tmp_path), cache=False
    )
    assert blocker.is_file()


def test_esco_csv_second_load_from_cache_is_equal(cache_dir: Path, tmp_path: Path) -> None:
    folder = _esco(tmp_path)
    first = Taxonomy.from_esco_csv(folder)
    assert len(_entries(cache_dir)) == 1
    assert Taxonomy.from_esco_csv(folder) == first == Taxonomy.from_esco_csv(folder, cache=False)
