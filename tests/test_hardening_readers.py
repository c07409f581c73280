"""Issue 19, the taxonomy readers: every read bounded before it allocates, errors that name the
limit and the line, and labels fit for display.

Items: 15 (a zip holding one huge line), 16 (zipped blank lines, decompressed sizes), 18 (huge RDF
literals, RDF sources over the size limit), 19 (a bad line of a long N-Triples file, named before
any graph is built); and display text: labels lose control characters and line breaks, keep bidi
marks. Hostile inputs are built here, small: where a limit is lowered with ``monkeypatch`` the
test says so, and the same code path runs at the real limit.
"""

from __future__ import annotations

import contextlib
import re
import signal
import tracemalloc
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labourint_match import Taxonomy
from labourint_match.errors import TaxonomyError
from labourint_match.taxonomy import _compiled, _esco_csv, _rdf

SKOS = "http://www.w3.org/2004/02/skos/core#"
ESCO = "http://data.europa.eu/esco/model#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKILLS_HEADER = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,scopeNote\n"
SKILL_ROW = (
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s1,knowledge,,food hygiene,,\n"
)
OCCUPATIONS = (
    "conceptType,conceptUri,preferredLabel,altLabels,code\n"
    "Occupation,http://data.europa.eu/esco/occupation/o1,cook,chef,5120.1\n"
)


def _zip(path: Path, members: dict[str, bytes | Iterator[bytes]]) -> Path:
    """A zip archive; a member given as an iterator of chunks is written streaming."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            if isinstance(body, bytes):
                archive.writestr(name, body)
            else:
                with archive.open(name, "w", force_zip64=True) as out:
                    for chunk in body:
                        out.write(chunk)
    return path


def _load_csv(source: Path) -> Taxonomy:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no relation tables: warned, not the point here
        return Taxonomy.from_esco_csv(source, cache=False)


def _nt(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _nt_concept(i: int) -> list[str]:
    uri = f"<urn:ex:c{i}>"
    return [f"{uri} <{RDF_TYPE}> <{SKOS}Concept> .", f'{uri} <{SKOS}prefLabel> "c {i}"@en .']


@pytest.fixture
def graph_adds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the triples added to any rdflib graph (to show an error came before the graph)."""
    import rdflib

    added = [0]
    original = rdflib.Graph.add

    def add(self: rdflib.Graph, triple: Any) -> rdflib.Graph:
        added[0] += 1
        return original(self, triple)

    monkeypatch.setattr(rdflib.Graph, "add", add)
    return added


@contextlib.contextmanager
def _no_hang(seconds: float) -> Iterator[None]:
    """Turn a hang into a failure (a guard, not a timing: the work takes milliseconds)."""

    def fail(*_args: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- 15. one huge line in an ESCO zip ---------------------------------------------------------


def test_19_15_a_zip_of_one_huge_line_stops_at_the_line_limit_with_memory_bounded(
    tmp_path: Path,
) -> None:
    # 32 MiB on one line (the probe's 2 GB has the same shape), 32 KB zipped: reading stops at
    # the 1 MiB line limit, so the load never holds the line.
    def huge_line() -> Iterator[bytes]:
        yield SKILLS_HEADER.encode()
        yield b"KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s1,knowledge,,"
        for _ in range(32):
            yield b"a" * (1 << 20)

    source = _zip(
        tmp_path / "esco.zip",
        {"skills_en.csv": huge_line(), "occupations_en.csv": OCCUPATIONS.encode()},
    )
    tracemalloc.start()
    try:
        with pytest.raises(TaxonomyError) as info:
            _load_csv(source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # the line is 32 MiB, the limit 1 MiB
    assert info.value.source == f"{source}!skills_en.csv"
    assert info.value.line == 2
    assert "a line longer than the limit of 1,048,576 characters" in info.value.message


def test_19_15_an_open_quote_swallowing_lines_stops_at_the_record_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lowered from 4 MiB to keep the file small; the counting is the same.
    monkeypatch.setattr(_esco_csv, "MAX_RECORD_CHARS", 10_000, raising=False)
    rows = SKILLS_HEADER + SKILL_ROW
    rows += 'KnowledgeSkillCompetence,urn:s:2,knowledge,,"open quote\n' + "x" * 19 + "\n" * 1
    rows += ("y" * 19 + "\n") * 2_000
    source = _zip(
        tmp_path / "esco.zip",
        {"skills_en.csv": rows.encode(), "occupations_en.csv": OCCUPATIONS.encode()},
    )
    with pytest.raises(TaxonomyError) as info:
        _load_csv(source)
    assert "a record longer than the limit of 10,000 characters" in info.value.message
    assert info.value.line is not None
    assert 400 < info.value.line < 600  # the record began on line 3; 20 characters a line


def test_19_15_a_line_of_exactly_the_limit_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The edge: the bound is on the line without its ending (CRLF here).
    label = "z" * 200
    line = f"KnowledgeSkillCompetence,urn:s:2,knowledge,,{label},,"
    monkeypatch.setattr(_esco_csv, "MAX_LINE_CHARS", len(line), raising=False)
    body = (SKILLS_HEADER + SKILL_ROW + line + "\r\n").encode()
    source = _zip(
        tmp_path / "esco.zip", {"skills_en.csv": body, "occupations_en.csv": OCCUPATIONS.encode()}
    )
    assert _load_csv(source).label("urn:s:2") == label
    monkeypatch.setattr(_esco_csv, "MAX_LINE_CHARS", len(line) - 1, raising=False)
    with pytest.raises(TaxonomyError, match="a line longer than the limit"):
        _load_csv(source)


@pytest.mark.esco
def test_19_15_real_esco_loads_with_every_reader_limit_divided_by_eight(
    esco_paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limits' headroom over ESCO v1.1.1 (docs/taxonomy.md states the measured figures).
    for module, name in [
        (_esco_csv, "MAX_TABLE_BYTES"),
        (_esco_csv, "MAX_TOTAL_BYTES"),
        (_esco_csv, "MAX_LINES"),
        (_esco_csv, "MAX_LINE_CHARS"),
        (_esco_csv, "MAX_RECORD_CHARS"),
        (_compiled, "MAX_LABEL_CHARS"),
        (_compiled, "MAX_NOTE_CHARS"),
    ]:
        monkeypatch.setattr(module, name, getattr(module, name) // 8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ESCO's own dangling links
        taxonomy = Taxonomy.from_esco_csv(*esco_paths, cache=False)
    assert taxonomy.counts()["skill"] == 13_896


# -- 16. blank lines and decompressed sizes ---------------------------------------------------


def test_19_16_zipped_blank_lines_stop_at_the_line_count_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The probe's 981 KB zip held about a billion blank lines; 4,000,000 is the real limit,
    # lowered here to 10,000 so the test reads 10,001 lines, not millions.
    monkeypatch.setattr(_esco_csv, "MAX_LINES", 10_000, raising=False)
    body = (SKILLS_HEADER + SKILL_ROW).encode() + b"\n" * 100_000
    source = _zip(
        tmp_path / "esco.zip", {"skills_en.csv": body, "occupations_en.csv": OCCUPATIONS.encode()}
    )
    with pytest.raises(TaxonomyError) as info:
        _load_csv(source)
    assert info.value.line == 10_001
    assert "more lines (blank ones included) than the limit of 10,000" in info.value.message


def test_19_16_a_table_over_the_size_limit_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lowered from 256 MiB: the check reads the archive's directory, whatever the size.
    monkeypatch.setattr(_esco_csv, "MAX_TABLE_BYTES", 1 << 20, raising=False)
    body = (SKILLS_HEADER + SKILL_ROW).encode() + b"\n" * (2 << 20)
    source = _zip(
        tmp_path / "esco.zip", {"skills_en.csv": body, "occupations_en.csv": OCCUPATIONS.encode()}
    )
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: str | zipfile.ZipInfo, *args: Any, **kw: Any) -> Any:
        opened.append(name if isinstance(name, str) else name.filename)
        return original(self, name, *args, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with pytest.raises(TaxonomyError) as info:
        _load_csv(source)
    assert info.value.source == f"{source}!skills_en.csv"
    assert f"holds {len(body):,} bytes (decompressed)" in info.value.message
    assert "over the limit of 1,048,576 bytes per table" in info.value.message
    assert "skills_en.csv" not in opened


def test_19_16_tables_together_over_the_total_limit_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lowered from 2 GiB: two tables of 30 kB against a total of 50 kB.
    monkeypatch.setattr(_esco_csv, "MAX_TOTAL_BYTES", 50_000, raising=False)
    skills = (SKILLS_HEADER + SKILL_ROW).encode() + b"\n" * 30_000
    occupations = OCCUPATIONS.encode() + b"\n" * 30_000
    source = _zip(
        tmp_path / "esco.zip", {"skills_en.csv": skills, "occupations_en.csv": occupations}
    )
    with pytest.raises(TaxonomyError) as info:
        _load_csv(source)
    assert "over the limit of 50,000 bytes for one load" in info.value.message


def test_19_16_a_device_named_like_a_table_in_a_folder_is_not_read(tmp_path: Path) -> None:
    # Before: /dev/zero under the name skills_en.csv was hashed for ever. Now only regular files
    # are tables, so the folder lacks its skills table.
    if not Path("/dev/zero").exists() or not hasattr(signal, "setitimer"):
        pytest.skip("needs /dev/zero and SIGALRM")
    folder = tmp_path / "esco"
    folder.mkdir()
    (folder / "skills_en.csv").symlink_to("/dev/zero")
    (folder / "occupations_en.csv").write_text(OCCUPATIONS)
    with _no_hang(20), pytest.raises(TaxonomyError) as info:
        _load_csv(folder)
    assert "no skills_en.csv" in info.value.message


# -- 18. huge literals, large RDF sources -----------------------------------------------------


def _ttl_label(label: str, predicate: str = "prefLabel") -> bytes:
    return (
        f"@prefix skos: <{SKOS}> .\n"
        f'<urn:ex:big> a skos:Concept ; skos:{predicate} """{label}"""@en .\n'
        '<urn:ex:small> a skos:Concept ; skos:prefLabel "small"@en .\n'
    ).encode()


def test_19_18_a_label_over_the_label_limit_is_refused_naming_the_concept_and_limit() -> None:
    limit = _compiled.MAX_LABEL_CHARS
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(_ttl_label("x" * (limit + 1)), cache=False)
    assert info.value.uris == ("urn:ex:big",)
    assert f"labels longer than the limit of {limit:,} characters" in info.value.message
    # At the limit it loads, whole.
    t = Taxonomy.from_rdf(_ttl_label("x" * limit), cache=False)
    assert t.label("urn:ex:big") == "x" * limit


def test_19_18_scope_notes_and_codes_have_their_limits_too() -> None:
    note_limit, label_limit = _compiled.MAX_NOTE_CHARS, _compiled.MAX_LABEL_CHARS
    with pytest.raises(TaxonomyError, match=f"scope notes longer than the limit of {note_limit:,}"):
        Taxonomy.from_rdf(_ttl_label("n" * (note_limit + 1), "scopeNote"), cache=False)
    t = Taxonomy.from_rdf(_ttl_label("n" * note_limit, "scopeNote"), cache=False)
    assert t.concept("urn:ex:big").scope_notes["en"] == "n" * note_limit
    with pytest.raises(TaxonomyError, match=f"codes .* longer than the limit of {label_limit:,}"):
        Taxonomy.from_rdf(_ttl_label("c" * (label_limit + 1), "notation"), cache=False)


def test_19_18_an_ntriples_line_over_the_line_limit_is_refused_before_any_graph(
    graph_adds: list[int],
) -> None:
    # A 2 MiB literal against the 1 MiB line limit: refused before rdflib builds a term.
    big = "x" * (2 * _rdf.MAX_NT_LINE_BYTES)
    data = _nt(*_nt_concept(0), f'<urn:ex:c0> <{SKOS}altLabel> "{big}"@en .', *_nt_concept(1))
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(data, format="nt", cache=False)
    assert info.value.line == 3
    assert f"a line longer than the limit of {_rdf.MAX_NT_LINE_BYTES:,} bytes" in str(info.value)
    assert graph_adds[0] == 0


def test_19_18_an_rdf_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lowered from 1 GiB; the file's size is checked before a byte is read.
    monkeypatch.setattr(_rdf, "MAX_RDF_BYTES", 1_000, raising=False)
    path = tmp_path / "big.nt"
    path.write_bytes(_nt(*[line for i in range(40) for line in _nt_concept(i)]))
    reads: list[Path] = []
    original = Path.open

    def spy(self: Path, *args: Any, **kw: Any) -> Any:
        reads.append(self)
        return original(self, *args, **kw)

    monkeypatch.setattr(Path, "open", spy)
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(path, cache=False)
    assert info.value.source == str(path)
    assert "over the limit of 1,000 bytes for an RDF source" in info.value.message
    assert path not in reads
    with pytest.raises(TaxonomyError, match="over the limit of 1,000 bytes"):
        Taxonomy.from_rdf(path.read_bytes(), format="nt", cache=False)  # bytes: the same limit


# -- 19. a bad line of a long N-Triples file ----------------------------------------------------


def test_19_19_a_bad_last_line_of_a_long_ntriples_file_is_named_before_any_graph(
    graph_adds: list[int],
) -> None:
    lines = [line for i in range(10_000) for line in _nt_concept(i)]
    data = _nt(*lines, '<urn:ex:c1> <urn:ex:p> "never closed .')
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(data, format="nt", cache=False)
    assert info.value.line == 20_001
    assert "could not be parsed as N-Triples" in info.value.message
    assert graph_adds[0] == 0  # found by the streaming check, not after building the graph


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_19_19_line_numbers_count_lf_crlf_and_cr_endings(newline: str) -> None:
    lines = [*_nt_concept(0), "# a comment", "", "<urn:ex:c0> <urn:ex:p> <not an iri> ."]
    data = newline.join(lines).encode()
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(data, format="nt", cache=False)
    assert info.value.line == 5


def test_19_19_a_line_that_is_not_utf8_is_named() -> None:
    data = _nt(*_nt_concept(0)) + b'<urn:ex:c0> <urn:ex:p> "caf\xe9"@fr .\n'
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(data, format="nt", cache=False)
    assert info.value.line == 3
    assert "not UTF-8" in info.value.message


def test_19_19_utf8_is_checked_in_steps_and_a_bad_byte_far_in_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Steps of 7 bytes (16 MiB really) cut only before an ASCII byte, never inside a character.
    monkeypatch.setattr(_rdf, "_UTF8_STEP", 7, raising=False)
    lines = [
        f'<urn:ex:c{i}> <{SKOS}altLabel> "caf\u00e9 \u4e2d\u6587 \U0001f373 {i}"@en .'
        for i in range(60)
    ]
    good = _nt(*[line for i in range(3) for line in _nt_concept(i)], *lines)
    assert len(Taxonomy.from_rdf(good, format="nt", cache=False)) == 3
    bad = good.replace(b"\xf0\x9f\x8d\xb3 41", b"\xf0\x9f\x8d 41")  # a truncated emoji
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(bad, format="nt", cache=False)
    assert info.value.line == 6 + 42
    assert "not UTF-8" in info.value.message


def test_19_19_lines_the_fast_check_does_not_match_are_judged_by_rdflib() -> None:
    # "\q" is no N-Triples escape, but rdflib reads it as it stands; the loader accepts what
    # rdflib accepts, so the fast check refuses nothing by itself.
    data = _nt(
        f"<urn:ex:a> <{RDF_TYPE}> <{SKOS}Concept> .", f'<urn:ex:a> <{SKOS}prefLabel> "a\\qb"@en .'
    )
    assert Taxonomy.from_rdf(data, format="nt", cache=False).label("urn:ex:a") == "a\\qb"


_IRIS = [
    "<urn:ex:a>",
    "<http://data.europa.eu/esco/skill/1#x>",
    "<urn:ex:caf\u00e9>",
    "<urn:a b>",
    "<noscheme>",
    "<urn:ex:\\u00e9>",
]
_NODES = ["_:b1", "_:b.", "_:"]
_LITERALS = [
    '"x"',
    '"a \\"b\\" c"',
    '"\\q"',
    '"caf\\u00e9 \u00e5"',
    '"\\U0010FFFF"',
    '"\\U00110000"',
    '"x"@en-GB',
    '"x"@en-',
    '"x"^^<urn:t>',
    '"x"@en^^<urn:t>',
    '"open',
    "",
]


@settings(max_examples=1_000)  # about one line in a hundred passes the fast check
@given(
    st.sampled_from([*_IRIS, *_NODES, '"x"']),
    st.sampled_from([*_IRIS, "_:b1"]),
    st.sampled_from([*_IRIS, *_NODES, *_LITERALS]),
    st.lists(st.sampled_from(["", " ", "\t", "  "]), min_size=3, max_size=3),
    st.sampled_from([" .", ".", " . # note", " .#", "", " . x", " ;"]),
)
def test_19_19_the_fast_check_accepts_only_lines_rdflib_accepts(
    subject: str, predicate: str, obj: str, spaces: list[str], tail: str
) -> None:
    # The streaming check lets through, unparsed, the lines its pattern matches: rdflib must
    # accept every one of them (what it does not match, rdflib judges).
    from rdflib.plugins.parsers.ntriples import W3CNTriplesParser

    line = spaces[0] + subject + spaces[1] + predicate + spaces[2] + obj + tail
    raw = line.encode() + b"\n"
    found = _rdf._NT_FAST_LINE.match(raw)
    if found is not None and found.end() == len(raw):
        parser = W3CNTriplesParser(sink=None)
        parser.sink = _rdf._NoSink()  # type: ignore[assignment]
        parser.line = line
        parser.parseline()  # does not raise


def test_19_19_ntriples_read_line_by_line_loads_as_the_same_turtle_does() -> None:
    # Blank nodes keep their identity across lines (an ESCO association object), a BOM is skipped.
    occupation, skill = "urn:ex:cook", "urn:ex:hygiene"
    nt = b"\xef\xbb\xbf" + _nt(
        f"<{occupation}> <{RDF_TYPE}> <{ESCO}Occupation> .",
        f'<{occupation}> <{SKOS}prefLabel> "cook \\"chef\\" caf\\u00E9"@en .',
        f"<{skill}> <{RDF_TYPE}> <{ESCO}Skill> .",
        f'<{skill}> <{SKOS}prefLabel> "food hygiene"@en .',
        f"<{occupation}> <urn:ex:association> _:a1 .",
        "_:a1 <urn:ex:type> <http://data.europa.eu/esco/relationship-type/essential-skill> .",
        f"_:a1 <urn:ex:target> <{skill}> .",
    )
    ttl = (
        f"@prefix skos: <{SKOS}> . @prefix esco: <{ESCO}> .\n"
        f'<{occupation}> a esco:Occupation ; skos:prefLabel "cook \\"chef\\" café"@en ;\n'
        f"    <urn:ex:association> [ <urn:ex:type> "
        "<http://data.europa.eu/esco/relationship-type/essential-skill> ; "
        f"<urn:ex:target> <{skill}> ] .\n"
        f'<{skill}> a esco:Skill ; skos:prefLabel "food hygiene"@en .\n'
    ).encode()
    from_nt = Taxonomy.from_rdf(nt, format="nt", cache=False)
    assert from_nt == Taxonomy.from_rdf(ttl, format="turtle", cache=False)
    assert [r.skill for r in from_nt.occupation_skills(occupation)] == [skill]
    assert from_nt.label(occupation) == 'cook "chef" café'


# -- display text: labels ---------------------------------------------------------------------


def test_19_display_labels_lose_controls_and_line_breaks_and_keep_bidi_marks() -> None:
    forged = "cook\n  score 1.00  ready \u2014 hire now\u2028\x1b[2J\x85end\t!"
    arabic = "\u200f\u0637\u0628\u0627\u062e\u200e \u2067\u0645\u0637\u0639\u0645\u2069 \u200d"
    ttl = (
        f"@prefix skos: <{SKOS}> .\n"
        f'<urn:ex:a> a skos:Concept ; skos:prefLabel """{forged}"""@en ;\n'
        f'    skos:altLabel """{arabic}x"""@ar, "\\u0007\\u2029"@en ;\n'
        '    skos:scopeNote "Includes:\\r\\n- cooks\\u2028- chefs\\u0000"@en ;\n'
        '    skos:notation "51\\n20" .\n'
    ).encode()
    with pytest.raises(TaxonomyError, match="NUL"):  # NUL stays an error, as before
        Taxonomy.from_rdf(ttl, cache=False)
    t = Taxonomy.from_rdf(ttl.replace(b"\\u0000", b"\\u0009"), cache=False)
    concept = t.concept("urn:ex:a")
    assert concept.pref_labels["en"] == "cook   score 1.00  ready \u2014 hire now [2J end !"
    assert concept.alt_labels["ar"] == (f"{arabic}x",)  # bidi marks, isolates and ZWJ kept
    assert "en" not in concept.alt_labels  # a label of controls only is no label
    assert concept.scope_notes["en"] == "Includes:\n- cooks\n- chefs"  # a note keeps its lines
    assert concept.code == "51 20"


def test_19_display_csv_labels_are_split_then_cleaned(tmp_path: Path) -> None:
    skills = SKILLS_HEADER + (
        'KnowledgeSkillCompetence,urn:s:1,knowledge,,"food\thygiene\x0b",'
        '"hygiene\r\n\x1b[31mred\n\n",'
        '"Covers:\n- kitchens"\n'
    )
    source = _zip(
        tmp_path / "esco.zip",
        {"skills_en.csv": skills.encode(), "occupations_en.csv": OCCUPATIONS.encode()},
    )
    concept = _load_csv(source).concept("urn:s:1")
    assert concept.pref_labels["en"] == "food hygiene"
    assert sorted(concept.alt_labels["en"]) == ["[31mred", "hygiene"]
    assert concept.scope_notes["en"] == "Covers:\n- kitchens"


def test_19_display_labels_added_with_with_labels_are_cleaned_too() -> None:
    base = Taxonomy.from_rdf(_ttl_label("x"), cache=False)
    t = base.with_labels([("urn:ex:small", "sv", "kock\r\nSCORE 1.00")])
    assert t.concept("urn:ex:small").alt_labels["sv"] == ("kock SCORE 1.00",)


@given(st.text())
def test_19_display_text_leaves_no_control_or_line_break_and_keeps_the_rest(text: str) -> None:
    shown = _compiled.display_text(text)
    assert shown == re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text).strip()
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", shown)
    note = _compiled.display_text(text, multiline=True)
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]", note)
