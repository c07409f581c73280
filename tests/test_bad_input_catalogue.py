"""The bad-input catalogue of DESIGN §9, entry by entry, through every public entry point.

Each test asserts the four promises of §9 for its entry:

1. a typed error: a subclass of ``LabourintMatchError`` (pydantic's ``ValidationError`` only from
   direct model construction; the cohort-level entry points wrap it);
2. a message that says what to fix and names the record (id, or line / item) or the source file;
3. no profile content beyond ids: the bad record carries ``MARKER`` in its free-text fields
   (titles, free-text skills) and the marker appears in no message, repr, chained exception or
   warning;
4. nothing passed in is changed (lists, models, file bytes).

Deeper proofs live next to the code they test and are referenced rather than repeated:
``tests/taxonomy/test_safety.py`` (no network connection or file read for every hostile source,
under an audit hook and a TCP listener), ``tests/taxonomy/test_bad_input.py`` (parser errors with
file and line, label Unicode kept byte-identical), ``tests/test_profiles.py`` (field-by-field
validation messages), ``tests/test_resolve.py`` (normalisation properties) and
``tests/test_privacy_and_determinism.py`` (no profile content along the whole pipeline).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import time
import typing
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from labourint_match import (
    CandidateProfile,
    Matcher,
    ScoringConfig,
    SkillResolver,
    Taxonomy,
    Vacancy,
    analysis,
    load_candidates,
    load_vacancies,
    validate_cohort,
)
from labourint_match.cli import main
from labourint_match.errors import (
    ConfigError,
    DuplicateIdError,
    LabourintMatchError,
    ProfileError,
    ResolutionError,
    TaxonomyError,
    TaxonomyWarning,
    UnknownConceptError,
)

MARKER = "ZZSECRET"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
WELD = "http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4"  # "weld"
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
NO_SUCH_SKILL = "http://data.europa.eu/esco/skill/no-such-skill"
AS_OF = date(2026, 1, 1)


# -- shared fixtures and checks -------------------------------------------------------------------


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


@pytest.fixture(scope="module")
def matcher(taxonomy: Taxonomy) -> Matcher:
    return Matcher(taxonomy, ScoringConfig(as_of=AS_OF))


@pytest.fixture(scope="module")
def resolver(taxonomy: Taxonomy) -> SkillResolver:
    return SkillResolver(taxonomy)


def candidate(cid: str = "c-1", **fields: Any) -> CandidateProfile:
    """A candidate whose free-text fields hold the marker."""
    data: dict[str, Any] = {
        "id": cid,
        "skills": ["welding", f"{MARKER} free-text skill"],
        "experience": [{"occupation": COOK, "months": 12, "title": f"{MARKER} job"}],
        "education": [{"isced_level": 3, "title": f"{MARKER} diploma"}],
    }
    data.update(fields)
    return CandidateProfile(**data)


def vacancy(vid: str = "v-1", **fields: Any) -> Vacancy:
    """A vacancy whose free-text fields hold the marker."""
    data: dict[str, Any] = {"id": vid, "skills": ["welding"], "title": f"{MARKER} post"}
    data.update(fields)
    return Vacancy(**data)


def candidate_json(cid: str = "c-1", **fields: Any) -> dict[str, Any]:
    return {**candidate(cid).model_dump(mode="json"), **fields}


def vacancy_json(vid: str = "v-1", **fields: Any) -> dict[str, Any]:
    return {**vacancy(vid).model_dump(mode="json"), **fields}


def _texts(exc: BaseException) -> Iterator[str]:
    """str and repr of an exception and of every exception chained to it."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield str(e)
        yield repr(e)
        todo += [e.__cause__, e.__context__]


@contextlib.contextmanager
def bad_input(
    error: type[BaseException], *names: str, fix: str | tuple[str, ...] = ()
) -> Iterator[pytest.ExceptionInfo[Any]]:
    """Expect `error`, naming every one of `names`, saying `fix`, never showing the marker."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(error) as info:
            yield info
    if error is not ValidationError:
        assert isinstance(info.value, LabourintMatchError), type(info.value).__mro__
    message = str(info.value)
    for name in names:
        assert name in message, (name, message)
    for hint in (fix,) if isinstance(fix, str) else fix:
        assert hint in message, (hint, message)
    for text in _texts(info.value):
        assert MARKER not in text, text
    for w in caught:
        assert MARKER not in str(w.message), w.message


@contextlib.contextmanager
def unchanged(*objects: Any, files: tuple[Path, ...] = ()) -> Iterator[None]:
    """Assert that `objects` (deep-compared) and `files` (bytes) are the same after the block."""

    def state(obj: Any) -> Any:
        if isinstance(obj, (CandidateProfile, Vacancy)):
            return obj.model_dump()
        if isinstance(obj, (list, tuple)):
            return [type(obj), [state(o) for o in obj], [id(o) for o in obj]]
        return copy.deepcopy(obj)

    before = [state(o) for o in objects]
    bytes_before = [f.read_bytes() for f in files]
    try:
        yield
    finally:
        assert [state(o) for o in objects] == before
        assert [f.read_bytes() for f in files] == bytes_before


def write_jsonl(path: Path, *records: Any, raw: str | None = None) -> Path:
    text = raw if raw is not None else "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(text, encoding="utf-8")
    return path


def write_array(path: Path, *records: Any) -> Path:
    path.write_text(json.dumps(list(records), indent=1), encoding="utf-8")
    return path


def ttl(*lines: str) -> bytes:
    return (f"@prefix skos: <{SKOS}> .\n" + "\n".join(lines) + "\n").encode()


def rdf_xml(doctype: str, label: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:skos="{SKOS}">\n'
        f'<skos:Concept rdf:about="urn:ex:a"><skos:prefLabel xml:lang="en">{label}'
        "</skos:prefLabel></skos:Concept>\n</rdf:RDF>\n"
    ).encode()


def run_cli(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    captured = capsys.readouterr()
    return code, out.getvalue() + captured.out, captured.err


# -- 1. hostile and malformed RDF ----------------------------------------------------------------
# The network and file-read side of each is proven in tests/taxonomy/test_safety.py; here: the
# typed error, the message naming the source, the secret never reaching the message, the file
# left as it was, and a fast refusal.


def _hostile(tmp: Path) -> dict[str, tuple[bytes, str | None, str]]:
    """name: (document, format or None, what the message must say)."""
    secret = tmp / "secret.txt"
    if tmp.is_dir():
        secret.write_text(MARKER)
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    return {
        "jsonld-remote-context": (
            b'{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "urn:ex:a"}',
            None,
            "remote @context",
        ),
        "jsonld-import": (
            b'{"@context": {"@version": 1.1, "@import": "http://127.0.0.1:9/c"}, "@id": "urn:x"}',
            "json-ld",
            "@import",
        ),
        "xxe-local-file": (
            rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{secret.as_uri()}">]>', "&x;"),
            None,
            "external entity 'x'",
        ),
        "xxe-http": (
            rdf_xml('<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>', "&x;"),
            "xml",
            "external entity 'x'",
        ),
        "external-dtd": (
            rdf_xml('<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:9/x.dtd">', "cook"),
            None,
            "external DTD",
        ),
        "billion-laughs": (
            rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY l0 "ha">{laughs}]>', "&l9;"),
            None,
            "entit",
        ),
        "binary-garbage": (bytes(range(256)) * 64, None, "could not be parsed"),
        "nul-bytes": (b"\x00" * 4096, "turtle", "could not be parsed as Turtle"),
        "empty": (b"", None, "empty"),
        "whitespace-only": (b" \n\t\r\n", "xml", "empty"),
        "turtle-syntax-error": (
            ttl("<urn:ex:a> a skos:Concept ;", '  skos:prefLabel "a"@en ;', "  skos:broader ] ."),
            None,
            "line 4",
        ),
        "turtle-guessed-as-xml": (ttl("<urn:ex:a> a skos:Concept ."), "xml", "RDF/XML"),
        "turtle-given-as-json-ld": (ttl("<urn:ex:a> a skos:Concept ."), "json-ld", "JSON"),
        "turtle-given-as-nt": (ttl("<urn:ex:a> a skos:Concept ."), "nt", "N-Triples"),
        "xml-given-as-turtle": (rdf_xml("", "cook"), "turtle", "Turtle"),
        "unknown-format-name": (ttl("<urn:ex:a> a skos:Concept ."), "trig", "use one of"),
        "json-ld-nested-too-deeply": (b"[" * 100_000 + b"]" * 100_000, None, "nested too deeply"),
        "turtle-nested-too-deeply": (
            ttl("<urn:ex:a> a skos:Concept ; skos:note " + "[" * 5000 + "]" * 5000 + " ."),
            None,
            "could not be parsed as Turtle",
        ),
        "utf16-turtle": (
            ttl("<urn:ex:a> a skos:Concept .").decode().encode("utf-16"),
            None,
            "utf-8",
        ),
        "no-concepts": (ttl('<urn:ex:a> <urn:ex:p> "x" .'), None, "no concepts"),
    }


HOSTILE_NAMES = list(_hostile(Path("/nonexistent")).keys())


@pytest.mark.parametrize("as_file", [False, True], ids=["bytes", "file"])
@pytest.mark.parametrize("case", HOSTILE_NAMES)
def test_hostile_or_malformed_rdf_is_a_taxonomy_error_naming_the_source(
    tmp_path: Path, case: str, as_file: bool
) -> None:
    data, fmt, says = _hostile(tmp_path)[case]
    suffix = {None: ".data", "turtle": ".ttl", "xml": ".rdf", "json-ld": ".jsonld"}.get(fmt, ".nt")
    path = tmp_path / f"taxonomy{suffix}"
    path.write_bytes(data)
    source: Path | bytes = path if as_file else data
    started = time.perf_counter()
    with unchanged(files=(path,)), bad_input(TaxonomyError, fix=says) as info:
        Taxonomy.from_rdf(source, format=fmt, cache=False)
    assert time.perf_counter() - started < 5
    if case == "unknown-format-name":  # an argument error, about no file in particular
        assert "'trig'" in str(info.value)
        return
    assert info.value.source == (str(path) if as_file else "<bytes>")
    assert (path.name if as_file else "<bytes>") in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/skills.ttl",
        "HTTPS://127.0.0.1:9/skills.rdf",
        "file:///etc/passwd",
        "ftp://127.0.0.1:9/esco.zip",
    ],
)
def test_url_sources_are_refused_by_every_taxonomy_loader_and_the_cli(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with bad_input(TaxonomyError, url, fix="local path"):
        Taxonomy.from_rdf(url)
    with bad_input(TaxonomyError, url, fix="local path"):
        Taxonomy.from_esco_csv(url)
    code, out, err = run_cli("taxonomy", "info", "--taxonomy", url, capsys=capsys)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "URL sources are refused" in err
    assert url in err


def test_utf8_byte_order_mark_before_turtle_is_accepted() -> None:
    """Windows editors write one; it is not bad input (it was refused before: fixed in _rdf.py)."""
    bom = b"\xef\xbb\xbf"
    turtle = ttl('<urn:ex:a> a skos:Concept ; skos:prefLabel "a"@en .')
    triples = f"<urn:ex:a> <{RDF_NS}type> <{SKOS}Concept> .\n".encode()
    assert Taxonomy.from_rdf(bom + turtle, cache=False).uris == ("urn:ex:a",)
    assert Taxonomy.from_rdf(bom + triples, format="nt", cache=False).uris == ("urn:ex:a",)


# -- 2. cycles and dangling links in broader -----------------------------------------------------


def _esco(tmp: Path, *, skills: str = "", broader: str = "", relations: str = "") -> Path:
    folder = tmp / "esco"
    folder.mkdir(exist_ok=True)
    (folder / "skills_en.csv").write_text(
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels\n"
        "KnowledgeSkillCompetence,urn:s:1,knowledge,,food hygiene,\n"
        "KnowledgeSkillCompetence,urn:s:2,skill/competence,,baking,\n" + skills
    )
    (folder / "occupations_en.csv").write_text(
        "conceptType,conceptUri,preferredLabel,altLabels\nOccupation,urn:o:1,cook,chef\n"
    )
    (folder / "occupationSkillRelations.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\nurn:o:1,essential,knowledge,urn:s:1\n"
        + relations
    )
    (folder / "broaderRelationsSkillPillar.csv").write_text(
        "conceptType,conceptUri,broaderType,broaderUri\n" + broader
    )
    return folder


def _csv_files(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(folder.glob("*.csv")))


def test_broader_cycle_is_an_error_naming_the_cycle_in_rdf_and_csv(tmp_path: Path) -> None:
    data = ttl(
        '<urn:s:1> a skos:Concept ; skos:prefLabel "a"@en ; skos:broader <urn:s:2> .',
        '<urn:s:2> a skos:Concept ; skos:prefLabel "b"@en ; skos:broader <urn:s:3> .',
        '<urn:s:3> a skos:Concept ; skos:prefLabel "c"@en ; skos:broader <urn:s:1> .',
    )
    with bad_input(TaxonomyError, "urn:s:1", "urn:s:2", "urn:s:3", fix="must be a DAG"):
        Taxonomy.from_rdf(data, cache=False)
    folder = _esco(
        tmp_path,
        broader="KnowledgeSkillCompetence,urn:s:1,KnowledgeSkillCompetence,urn:s:2\n"
        "KnowledgeSkillCompetence,urn:s:2,KnowledgeSkillCompetence,urn:s:1\n",
    )
    with unchanged(files=_csv_files(folder)), bad_input(TaxonomyError, str(folder), "urn:s:1"):
        Taxonomy.from_esco_csv(folder, cache=False)


def test_dangling_broader_link_warns_naming_the_uri_and_strict_makes_it_an_error(
    tmp_path: Path,
) -> None:
    """Documented in docs/taxonomy.md: dangling links are warnings; cycles are errors."""
    data = ttl('<urn:s:1> a skos:Concept ; skos:prefLabel "a"@en ; skos:broader <urn:s:zz> .')
    with pytest.warns(TaxonomyWarning, match="urn:s:zz"):
        assert Taxonomy.from_rdf(data, cache=False).broader("urn:s:1") == ()
    with bad_input(TaxonomyError, "urn:s:zz", fix="does not define"):
        Taxonomy.from_rdf(data, cache=False, strict=True)
    folder = _esco(
        tmp_path, broader="KnowledgeSkillCompetence,urn:s:1,KnowledgeSkillCompetence,x:y\n"
    )
    with unchanged(files=_csv_files(folder)), pytest.warns(TaxonomyWarning, match="x:y"):
        assert Taxonomy.from_esco_csv(folder, cache=False).counts()["skill"] == 2


# -- 3. duplicate concepts and duplicate profile ids ---------------------------------------------


def test_duplicate_concept_rows_in_esco_csv_are_an_error_naming_the_uri(tmp_path: Path) -> None:
    folder = _esco(tmp_path, skills="KnowledgeSkillCompetence,urn:s:1,knowledge,,again,\n")
    with (
        unchanged(files=_csv_files(folder)),
        bad_input(TaxonomyError, "urn:s:1", fix="defined once"),
    ):
        Taxonomy.from_esco_csv(folder, cache=False)


def test_several_pref_labels_of_one_concept_in_rdf_warn_and_keep_the_first() -> None:
    """RDF merges a repeated subject; what can clash is its labels (documented behaviour)."""
    data = ttl('<urn:s:1> a skos:Concept ; skos:prefLabel "a"@en, "b"@en .')
    with pytest.warns(TaxonomyWarning, match="urn:s:1"):
        concept = Taxonomy.from_rdf(data, cache=False).concept("urn:s:1")
    assert concept.pref_labels["en"] in ("a", "b")


def _cohort_entry_points(matcher: Matcher) -> dict[str, Callable[[list[Any], list[Any]], Any]]:
    """Every cohort-level entry point, as f(candidates, vacancies)."""
    return {
        "validate_cohort(candidates)": lambda c, v: validate_cohort(c, taxonomy=matcher.taxonomy),
        "validate_cohort(vacancies)": lambda c, v: validate_cohort(v, taxonomy=matcher.taxonomy),
        "Matcher.scores": matcher.scores,
        "Matcher.rank": matcher.rank,
        "Matcher.rank(by=vacancy)": lambda c, v: matcher.rank(c, v, by="vacancy"),
        "Matcher.assign": matcher.assign,
        "Matcher.assign(stable)": lambda c, v: matcher.assign(c, v, "stable"),
        "analysis.training_needs": lambda c, v: analysis.training_needs(matcher, c, v),
        "analysis.demand_supply": lambda c, v: analysis.demand_supply(c, v, matcher),
    }


ENTRY_POINTS = [
    "validate_cohort(candidates)",
    "validate_cohort(vacancies)",
    "Matcher.scores",
    "Matcher.rank",
    "Matcher.rank(by=vacancy)",
    "Matcher.assign",
    "Matcher.assign(stable)",
    "analysis.training_needs",
    "analysis.demand_supply",
]


def test_entry_point_list_is_complete(matcher: Matcher) -> None:
    assert list(_cohort_entry_points(matcher)) == ENTRY_POINTS


@pytest.mark.parametrize(
    ("entry", "side"),
    [
        (entry, side)
        for entry in ENTRY_POINTS
        for side in ("candidates", "vacancies")
        if not entry.startswith("validate_cohort") or side in entry
    ],
)
def test_duplicate_ids_are_refused_by_every_cohort_entry_point(
    matcher: Matcher, entry: str, side: str
) -> None:
    cands = [candidate("c-1"), candidate("c-2"), candidate("c-1")]
    vacs = [vacancy("v-1"), vacancy("v-2")]
    if side == "vacancies":
        cands = cands[:2]
        vacs = [*vacs, vacancy("v-2")]
    dup = "c-1" if side == "candidates" else "v-2"
    first = "item 0" if side == "candidates" else "item 1"
    call = _cohort_entry_points(matcher)[entry]
    with unchanged(cands, vacs), bad_input(DuplicateIdError, dup, first, fix="must be unique"):
        call(cands, vacs)


def test_duplicate_ids_in_files_name_both_lines(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", candidate_json("c-1"), candidate_json("c-1"))
    with (
        unchanged(files=(path,)),
        bad_input(DuplicateIdError, "c-1", "line 2 of c.jsonl", "line 1 of c.jsonl"),
    ):
        load_candidates(path)
    path = write_array(tmp_path / "v.json", vacancy_json("v-1"), vacancy_json("v-1"))
    with unchanged(files=(path,)), bad_input(DuplicateIdError, "v-1", "item 2", "item 1"):
        load_vacancies(path)


def test_ids_equal_after_nfc_are_duplicates_but_ids_are_kept_as_given(matcher: Matcher) -> None:
    """Decision: ids are opaque join keys, kept byte for byte; NFC-equal ids would be ambiguous."""
    nfc = "jos\u00e9-1"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    people = [candidate(nfc), candidate(nfd)]
    with unchanged(people), bad_input(DuplicateIdError, fix="equal after Unicode normalisation"):
        validate_cohort(people)
    ranking = matcher.rank([candidate(nfd)], [vacancy()])
    assert ranking.candidate_ids == (nfd,)  # not re-normalised
    assert matcher.assign([candidate(nfd)], [vacancy()]).pairs[0].candidate_id == nfd


# -- 4. unknown concept URIs ---------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_unknown_concept_uri_is_refused_naming_record_field_and_uri(
    matcher: Matcher, entry: str
) -> None:
    cands = [candidate("c-1"), candidate("c-2", skills=[NO_SUCH_SKILL, f"{MARKER} text"])]
    vacs = [vacancy("v-1", occupation=COOK)]
    if entry == "validate_cohort(vacancies)":
        vacs = [vacancy("v-1", skills=["welding", {"skill": NO_SUCH_SKILL}])]
    record, field = (
        ("v-1", "skills.1.skill") if "vacancies)" in entry else ("c-2", "skills.0.skill")
    )
    call = _cohort_entry_points(matcher)[entry]
    with (
        unchanged(cands, vacs),
        bad_input(UnknownConceptError, record, field, NO_SUCH_SKILL, fix="SkillResolver"),
    ):
        call(cands, vacs)


@pytest.mark.parametrize("method", ["score", "explain"])
def test_unknown_occupation_uri_of_a_pair_is_refused(matcher: Matcher, method: str) -> None:
    job = vacancy(occupation="http://data.europa.eu/esco/occupation/none")
    person = candidate()
    with unchanged(person, job), bad_input(UnknownConceptError, "v-1", "occupation"):
        getattr(matcher, method)(person, job)


def test_unknown_concept_uri_in_a_file_names_line_and_lenient_mode_reports_it(
    tmp_path: Path, taxonomy: Taxonomy
) -> None:
    path = write_jsonl(
        tmp_path / "c.jsonl", candidate_json("c-1"), candidate_json("c-2", skills=[NO_SUCH_SKILL])
    )
    with unchanged(files=(path,)):
        with bad_input(UnknownConceptError, "c-2 (line 2 of c.jsonl)", "skills.0.skill"):
            load_candidates(path, taxonomy=taxonomy)
        cohort = load_candidates(path, taxonomy=taxonomy, lenient=True)
    assert [tuple(u) for u in cohort.unknown_concepts] == [("c-2", "skills.0.skill", NO_SUCH_SKILL)]


# -- 5. NaN, infinity, negative numbers (and booleans) in every numeric field --------------------

# (record kind, dotted field path, a valid record with that field set to the value)
NUMERIC_FIELDS: list[tuple[str, str, Callable[[Any], dict[str, Any]]]] = [
    ("candidate", "skills.0.level", lambda x: {"skills": [{"skill": "welding", "level": x}]}),
    ("candidate", "skills.0.years", lambda x: {"skills": [{"skill": "welding", "years": x}]}),
    ("candidate", "education.0.isced_level", lambda x: {"education": [{"isced_level": x}]}),
    (
        "candidate",
        "experience.0.months",
        lambda x: {"experience": [{"occupation": COOK, "months": x}]},
    ),
    ("candidate", "location.lat", lambda x: {"location": {"lat": x, "lon": 18.0}}),
    ("candidate", "location.lon", lambda x: {"location": {"lat": 59.0, "lon": x}}),
    ("candidate", "max_commute_km", lambda x: {"max_commute_km": x}),
    ("vacancy", "skills.0.min_level", lambda x: {"skills": [{"skill": "welding", "min_level": x}]}),
    ("vacancy", "skills.0.weight", lambda x: {"skills": [{"skill": "welding", "weight": x}]}),
    ("vacancy", "min_isced", lambda x: {"min_isced": x}),
    ("vacancy", "min_experience_months", lambda x: {"min_experience_months": x}),
    ("vacancy", "openings", lambda x: {"openings": x}),
    ("vacancy", "location.lat", lambda x: {"location": {"lat": x, "lon": 18.0}}),
    ("vacancy", "location.lon", lambda x: {"location": {"lat": 59.0, "lon": x}}),
]
BAD_NUMBERS = {
    "nan": (math.nan, "NaN"),
    "inf": (math.inf, "Infinity"),
    "-inf": (-math.inf, "-Infinity"),
    "negative": (-1, "-1"),  # below the field's range (-91 and -181 for coordinates)
    "huge": (1e308, "1e308"),
    "overflow": (math.inf, "1e400"),  # JSON numbers too large for a float read as infinity
    "boolean": (True, "true"),  # true is not 1 (fixed in profiles/_fields.py)
}


def test_the_numeric_field_list_covers_every_numeric_field_of_the_models() -> None:
    def flat(t: Any) -> set[Any]:
        args = typing.get_args(t)
        if typing.get_origin(t) is typing.Annotated:
            return flat(args[0])
        return set().union(*(flat(a) for a in args)) if args else {t}

    def numeric(model: Any, prefix: str) -> set[str]:
        return {
            prefix + name
            for name, info in model.model_fields.items()
            if flat(info.annotation) & {int, float}
        }

    from labourint_match.profiles import (
        Education,
        Experience,
        Location,
        SkillClaim,
        SkillRequirement,
    )

    listed = {f"{kind}:{path}" for kind, path, _ in NUMERIC_FIELDS}
    expected = (
        {f"candidate:skills.0.{n}" for n in numeric(SkillClaim, "")}
        | {f"candidate:education.0.{n}" for n in numeric(Education, "")}
        | {f"candidate:experience.0.{n}" for n in numeric(Experience, "")}
        | {f"{k}:location.{n}" for k in ("candidate", "vacancy") for n in numeric(Location, "")}
        | {f"candidate:{n}" for n in numeric(CandidateProfile, "")}
        | {f"vacancy:skills.0.{n}" for n in numeric(SkillRequirement, "")}
        | {f"vacancy:{n}" for n in numeric(Vacancy, "")}
    )
    assert listed == expected


@pytest.mark.parametrize("value", list(BAD_NUMBERS))
@pytest.mark.parametrize(
    ("kind", "field", "make"), NUMERIC_FIELDS, ids=[f"{k}-{f}" for k, f, _ in NUMERIC_FIELDS]
)
def test_bad_number_is_refused_by_the_model_and_by_the_loaders_naming_the_field(
    tmp_path: Path, kind: str, field: str, make: Callable[[Any], dict[str, Any]], value: str
) -> None:
    number, literal = BAD_NUMBERS[value]
    if value == "negative" and field.startswith("location."):
        number = -91 if field.endswith("lat") else -181
        literal = str(number)
    base = candidate_json("c-7") if kind == "candidate" else vacancy_json("v-7")
    rid = base["id"]
    model = CandidateProfile if kind == "candidate" else Vacancy
    # Direct construction: pydantic's ValidationError, with the field and without the input.
    with bad_input(ValidationError) as info:
        model(**{**base, **make(number)})
    assert next(".".join(map(str, e["loc"])) for e in info.value.errors()) == field
    # The loaders: a ProfileError naming record, line and field; the file is left as it was.
    sentinel = 987654321
    text = json.dumps({**base, **make(sentinel)}).replace(str(sentinel), literal)
    path = write_jsonl(
        tmp_path / "records.jsonl", raw=json.dumps(base | {"id": "ok"}) + "\n" + text
    )
    load = load_candidates if kind == "candidate" else load_vacancies
    where = f"{rid} (line 2 of records.jsonl)"
    with unchanged(files=(path,)), bad_input(ProfileError, where, repr(field)) as info:
        load(path)
    assert (info.value.record, info.value.field) == (where, field)


SCORING_NUMERIC = [
    name for name, info in ScoringConfig.model_fields.items() if info.annotation in (int, float)
]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -1, -1e-12])
@pytest.mark.parametrize("name", SCORING_NUMERIC)
def test_scoring_config_refuses_nan_infinite_and_negative_values_naming_the_field(
    name: str, value: float
) -> None:
    with bad_input(ConfigError, f"ScoringConfig: {name}:"):
        ScoringConfig(**{name: value})
    with bad_input(ConfigError, name):
        ScoringConfig().replace(**{name: value})


def test_scoring_config_numeric_field_list_is_not_empty() -> None:
    assert len(SCORING_NUMERIC) >= 40


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -1, 2.0, "0.5", None])
def test_bad_score_thresholds_of_the_entry_points_are_config_errors(
    matcher: Matcher, value: Any
) -> None:
    people, jobs = [candidate()], [vacancy()]
    with unchanged(people, jobs):
        with bad_input(ConfigError, "min_score"):
            matcher.assign(people, jobs, min_score=value)
        with bad_input(ConfigError, "min_score"):
            analysis.training_needs(matcher, people, jobs, min_score=value)
        if isinstance(value, (float, int)):
            with bad_input(ConfigError, "min_resolution_score"):
                Matcher(matcher.taxonomy, min_resolution_score=value)


@pytest.mark.parametrize("value", [True, 0, -2, 1.5, "2"])
def test_matcher_refuses_a_thread_count_that_is_not_a_positive_int(
    taxonomy: Taxonomy, value: Any
) -> None:
    with bad_input(ConfigError, "threads"):
        Matcher(taxonomy, threads=value)


@pytest.mark.parametrize("value", ["0.5", None])
def test_matcher_refuses_a_non_numeric_min_resolution_score(taxonomy: Taxonomy, value: Any) -> None:
    with bad_input(ConfigError, "min_resolution_score"):
        Matcher(taxonomy, min_resolution_score=value)


@pytest.mark.parametrize("top_k", [0, -1, math.nan, 2.5, True, "3", None])
def test_bad_top_k_is_a_config_error_everywhere(
    matcher: Matcher, resolver: SkillResolver, top_k: Any
) -> None:
    people, jobs = [candidate()], [vacancy()]
    with unchanged(people, jobs):
        with bad_input(ConfigError, "top_k"):
            matcher.rank(people, jobs, top_k=top_k)
        with bad_input(ConfigError, "top_k"):
            resolver.resolve("welding", top_k=top_k)
        if top_k is not None:  # None means "all" for training_needs and assign ignores it
            with bad_input(ConfigError, "top_k"):
                analysis.training_needs(matcher, people, jobs, top_k=top_k)


# -- 6. empty cohorts: an empty result, not an error (DESIGN §9; issue 19) -----------------------


def _assert_empty_result(entry: str, result: Any, n_c: int, n_v: int) -> None:
    """`result` is the empty result of `entry` for cohorts of n_c candidates and n_v vacancies."""
    if entry == "Matcher.scores":
        assert result.shape == (n_c, n_v)
    elif entry.startswith("Matcher.rank"):
        rows, other = (n_v, n_c) if "vacancy" in entry else (n_c, n_v)
        assert (len(result), result.top_k) == (rows, min(10, other))
        assert result.to_records() == []
        assert list(result.to_pandas().columns) == [
            "candidate_id", "vacancy_id", "rank", "score", "eligible", "reasons",
        ]  # fmt: skip
    elif entry.startswith("Matcher.assign"):
        assert result.pairs == ()
        assert (result.n_candidates, result.n_vacancies, result.total_score) == (n_c, n_v, 0.0)
        assert [u.reason for u in result.unassigned] == ["no_eligible_vacancy"] * n_c
    elif entry == "analysis.training_needs":
        assert len(result) == 0
        assert list(result.columns) == list(analysis.TRAINING_NEEDS_COLUMNS)
    else:  # demand_supply: the vacancies' skills, none held when there are no candidates
        assert len(result) == (0 if n_v == 0 else 1)
        assert set(result["candidates"]) <= {0}


@pytest.mark.parametrize("entry", [e for e in ENTRY_POINTS if not e.startswith("validate")])
@pytest.mark.parametrize("empty", ["candidates", "vacancies", "both"])
def test_empty_cohort_gives_an_empty_result_of_the_right_shape(
    matcher: Matcher, entry: str, empty: str
) -> None:
    """Decision (issue 19): an empty day in a pipeline is not an error; the result is empty."""
    people = [] if empty in ("candidates", "both") else [candidate()]
    jobs = [] if empty in ("vacancies", "both") else [vacancy()]
    call = _cohort_entry_points(matcher)[entry]
    with unchanged(people, jobs), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call(people, jobs)
    assert not any(MARKER in str(w.message) for w in caught)
    _assert_empty_result(entry, result, len(people), len(jobs))


def test_empty_cohort_for_disparity_gives_an_empty_table(matcher: Matcher) -> None:
    rows = analysis.disparity(matcher.assign([], [vacancy()]), [], as_frame=False)
    assert rows == []
    frame = analysis.disparity(matcher.assign([], []), [])
    assert (len(frame), list(frame.columns)) == (0, list(analysis.DISPARITY_COLUMNS))
    result = matcher.assign([candidate()], [vacancy()])  # not the cohort passed: still an error
    with bad_input(ProfileError, "candidates passed", fix="pass the cohort"):
        analysis.disparity(result, [])


def test_empty_files_load_as_empty_cohorts_that_matching_ranks_as_empty(
    tmp_path: Path, matcher: Matcher
) -> None:
    """Documented: an empty file is an empty cohort, and its ranking is empty."""
    for name in ("empty.jsonl", "blank.jsonl", "array.json"):
        path = tmp_path / name
        path.write_text({"empty.jsonl": "", "blank.jsonl": "\n \n", "array.json": " [ ] "}[name])
        assert len(load_candidates(path)) == 0
    assert len(validate_cohort([])) == 0
    ranking = matcher.rank(load_candidates(tmp_path / "empty.jsonl"), [vacancy()])
    assert (len(ranking), ranking.vacancy_ids) == (0, ("v-1",))


# -- 7. zero openings ----------------------------------------------------------------------------


def test_zero_openings_is_valid_ineligible_and_never_placed(matcher: Matcher) -> None:
    closed = vacancy("v-closed", openings=0)
    open_ = vacancy("v-open")
    person = candidate()
    assert matcher.score(person, closed) == 0.0
    explanation = matcher.explain(person, closed)
    assert explanation.pathway.kind == "not_eligible"
    assert "no_openings" in explanation.pathway.reasons
    ranking = matcher.rank([person], [closed, open_])
    matches = {m.vacancy_id: m for m in ranking.for_candidate("c-1")}
    assert not matches["v-closed"].eligible
    assert matches["v-closed"].score == 0.0
    for method in ("optimal", "stable"):
        assert matcher.assign([person], [closed], method).pairs == ()
        assert [p.vacancy_id for p in matcher.assign([person], [closed, open_], method).pairs] == [
            "v-open"
        ]


# -- 8. top_k larger than the cohort: clamped ----------------------------------------------------


def test_top_k_larger_than_the_cohort_is_clamped_to_its_size(
    matcher: Matcher, resolver: SkillResolver, taxonomy: Taxonomy
) -> None:
    people = [candidate(f"c-{i}") for i in range(3)]
    jobs = [vacancy(f"v-{i}") for i in range(2)]
    for by, other in (("candidate", 2), ("vacancy", 3)):
        huge = matcher.rank(people, jobs, top_k=10**9, by=by)  # type: ignore[arg-type]
        exact = matcher.rank(people, jobs, top_k=other, by=by)  # type: ignore[arg-type]
        assert huge.indices.shape[1] == other
        assert (huge.indices == exact.indices).all()
        assert (huge.scores == exact.scores).all()
    placed = matcher.assign(people, jobs, top_k=10**9, dense_max_pairs=0)
    assert placed.pairs == matcher.assign(people, jobs, dense_max_pairs=0).pairs
    assert len(resolver.resolve("welding", top_k=10**9)) <= len(taxonomy)
    result = matcher.assign(people, jobs)
    ranking = matcher.rank(people, jobs)
    assert len(analysis.disparity(result, people, ranking=ranking, k=10**9, as_frame=False)) >= 1


def test_cli_top_k_larger_than_the_cohort_gives_every_vacancy_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cands = write_jsonl(tmp_path / "c.jsonl", candidate_json("c-1"))
    vacs = write_jsonl(tmp_path / "v.jsonl", vacancy_json("v-1"), vacancy_json("v-2"))
    code, out, err = run_cli(
        "rank", str(cands), str(vacs), "--top-k", "1000", "--as-of", "2026-01-01", capsys=capsys
    )
    assert code == 0, err
    assert sorted(json.loads(line)["vacancy_id"] for line in out.splitlines()) == ["v-1", "v-2"]


# -- 9. megabyte-long strings --------------------------------------------------------------------

MEGA = (MARKER + "x" * 92) * 10_923  # about a megabyte, the marker all along


@pytest.mark.parametrize(
    ("kind", "field", "make"),
    [
        ("candidate", "id", lambda s: {"id": s}),
        ("candidate", "skills.0.skill", lambda s: {"skills": [s]}),
        ("candidate", "skills.0.skill", lambda s: {"skills": ["urn:x:" + s]}),
        (
            "candidate",
            "education.0.title",
            lambda s: {"education": [{"isced_level": 3, "title": s}]},
        ),
        ("candidate", "location.region", lambda s: {"location": {"region": s}}),
        ("candidate", "languages.0.language", lambda s: {"languages": [{"language": s}]}),
        ("candidate", "audit.group", lambda s: {"audit": {"group": s}}),
        ("vacancy", "employer_id", lambda s: {"employer_id": s}),
        ("vacancy", "title", lambda s: {"title": s}),
        ("vacancy", "occupation", lambda s: {"occupation": "http://x/" + s}),
    ],
)
def test_megabyte_long_strings_are_refused_quickly_by_field_without_echo(
    tmp_path: Path, kind: str, field: str, make: Callable[[str], dict[str, Any]]
) -> None:
    base = candidate_json("c-9") if kind == "candidate" else vacancy_json("v-9")
    model = CandidateProfile if kind == "candidate" else Vacancy
    started = time.perf_counter()
    with bad_input(ValidationError) as info:
        model(**{**base, **make(MEGA)})
    assert ".".join(map(str, info.value.errors()[0]["loc"])) == field
    path = write_jsonl(tmp_path / "big.jsonl", {**base, **make(MEGA)})
    load = load_candidates if kind == "candidate" else load_vacancies
    name = "line 1 of big.jsonl" if field == "id" else f"{base['id']} (line 1 of big.jsonl)"
    with unchanged(files=(path,)), bad_input(ProfileError, name, field, fix="at most"):
        load(path)
    assert time.perf_counter() - started < 2


def test_megabyte_mentions_are_truncated_quickly_with_a_warning_without_echo(
    resolver: SkillResolver,
) -> None:
    for text in (MEGA, "weld " * 200_000, " " * 1_000_000, "\u200b" * 1_000_000):
        started = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            resolver.resolve(text, top_k=3)
            resolver.resolve_many([text, "welding"], top_k=1)
        assert time.perf_counter() - started < 2
        assert caught
        assert all(MARKER not in str(w.message) for w in caught)
        assert all("truncated" in str(w.message) for w in caught)


def test_megabyte_json_line_without_structure_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    path.write_text('{"id": "c-1", "skills": ["' + MEGA + "\n", encoding="utf-8")
    started = time.perf_counter()
    with unchanged(files=(path,)), bad_input(ProfileError, "line 1 of huge.jsonl", fix="JSON"):
        load_candidates(path)
    path.write_text("[" * 1_000_000, encoding="utf-8")
    with bad_input(ProfileError, "huge.jsonl", fix="nested too deeply"):
        load_candidates(path)
    assert time.perf_counter() - started < 2


# -- 10. Unicode oddities ------------------------------------------------------------------------

INVISIBLE_IN_IDS = {
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "right-to-left mark": "\u200f",
    "left-to-right mark": "\u200e",
    "arabic letter mark": "\u061c",
    "right-to-left override": "\u202e",
    "right-to-left isolate": "\u2067",
    "word joiner": "\u2060",
    "byte-order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "hangul filler": "\u3164",  # fixed in profiles/_fields.py (default-ignorable, category Lo)
    "combining grapheme joiner": "\u034f",  # fixed in profiles/_fields.py (category Mn)
    "variation selector 16": "\ufe0f",  # fixed in profiles/_fields.py
    "nul": "\x00",
    "escape": "\x1b",
    "line separator": "\u2028",
    "lone surrogate": "\ud800",
}


@pytest.mark.parametrize("char", list(INVISIBLE_IN_IDS.values()), ids=list(INVISIBLE_IN_IDS))
def test_invisible_and_control_characters_in_ids_are_refused_by_position(
    tmp_path: Path, char: str
) -> None:
    bad_id = f"c{char}1"
    with bad_input(ValidationError):
        candidate(bad_id)
    raw = (
        json.dumps(candidate_json("c-0"))
        + "\n"
        + json.dumps(candidate_json("c-x", id=bad_id))
        + "\n"
    )
    path = write_jsonl(tmp_path / "ids.jsonl", raw=raw)
    with unchanged(files=(path,)), bad_input(ProfileError, "line 2 of ids.jsonl", "id") as info:
        load_candidates(path)
    assert bad_id not in str(info.value)  # the unusable id is replaced by the line


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("c-12", "c-\u0661\u0662"),  # Arabic-Indic digits
        ("c-12", "c-\u06f1\u06f2"),  # Extended Arabic-Indic (Persian) digits
        ("cafe", "c\u0430fe"),  # Latin a and Cyrillic а (mixed scripts)
        ("c-1", "\uff43-1"),  # fullwidth c: NFKC-equal, not NFC-equal
        ("\u05d0-1", "\u0627-1"),  # Hebrew and Arabic letters (RTL ids)
    ],
)
def test_visible_look_alike_ids_are_distinct_ids_kept_as_given(
    matcher: Matcher, a: str, b: str
) -> None:
    """Decision: ids compare as given (after NFC for duplicates); look-alikes are not folded."""
    cohort = validate_cohort([candidate(a), candidate(b)])
    assert cohort.ids == (a, b)
    ranking = matcher.rank(list(cohort), [vacancy()])
    assert ranking.candidate_ids == (a, b)
    assert ranking.for_candidate(b)[0].candidate_id == b


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda s: unicodedata.normalize("NFD", s), id="NFD"),
        pytest.param(lambda s: "\u200f" + s + "\u200e", id="bidi-marks"),
        pytest.param(lambda s: "\u202e" + s + "\u202c", id="bidi-override"),
        pytest.param(lambda s: s.replace(" ", " \u200b"), id="zero-width-space"),
        pytest.param(lambda s: s.replace(" ", "\u2060 "), id="word-joiner"),
        pytest.param(lambda s: s.upper(), id="upper-case"),
        pytest.param(lambda s: unicodedata.normalize("NFKD", s).replace("a", "\uff41"), id="width"),
    ],
)
@pytest.mark.parametrize("label", ["städa rum", "clean rooms", "تنظيف الغرف"])
def test_resolver_and_matcher_treat_unicode_variants_of_a_mention_alike(
    matcher: Matcher, resolver: SkillResolver, label: str, variant: Callable[[str], str]
) -> None:
    text = variant(label)
    plain = resolver.resolve(label, top_k=1)
    odd = resolver.resolve(text, top_k=1)
    assert plain
    assert odd
    assert (odd[0].uri, odd[0].score) == (plain[0].uri, plain[0].score)
    job = Vacancy(id="v-1", skills=[plain[0].uri])
    same = matcher.score(CandidateProfile(id="c-1", skills=[label]), job)
    assert matcher.score(CandidateProfile(id="c-1", skills=[text]), job) == same


def test_resolver_folds_arabic_indic_digits_tatweel_and_diacritics(resolver: SkillResolver) -> None:
    assert [r.uri for r in resolver.resolve("\u0663D printing", top_k=3)] == [
        r.uri for r in resolver.resolve("3D printing", top_k=3)
    ]
    plain = resolver.resolve("تنظيف الغرف", top_k=1)[0]
    for odd in ("تنظيـــف الغرف", "تَنْظِيف الغرف"):
        assert resolver.resolve(odd, top_k=1)[0].uri == plain.uri


def test_mixed_script_homoglyphs_are_not_folded_into_an_exact_match(
    resolver: SkillResolver,
) -> None:
    """Decision: no confusable folding; a Cyrillic е in "wеld" is at best a fuzzy match."""
    assert resolver.resolve("weld", top_k=1)[0].method in ("exact", "variant")
    assert all(r.method == "fuzzy" for r in resolver.resolve("w\u0435ld", top_k=3))


def test_nfd_labels_in_a_taxonomy_resolve_from_nfc_text_and_back() -> None:
    data = ttl(
        f'<urn:s:1> a skos:Concept ; skos:prefLabel "{unicodedata.normalize("NFD", "städa")}"@sv .'
    )
    taxonomy = Taxonomy.from_rdf(data, cache=False)
    resolver = SkillResolver(taxonomy, cache=False)
    for text in ("städa", unicodedata.normalize("NFD", "städa")):
        assert resolver.resolve(text, top_k=1)[0].uri == "urn:s:1"


@pytest.mark.parametrize(
    "char", ["\x00", "\x1b", "\x7f", "\ud800"], ids=["nul", "esc", "del", "surrogate"]
)
def test_control_characters_and_lone_surrogates_in_free_text_are_refused_by_field(
    tmp_path: Path, char: str
) -> None:
    with bad_input(ValidationError):
        candidate(skills=[f"{MARKER}{char}weld"])
    record = candidate_json("c-3", skills=[f"{MARKER}{char}weld"])
    path = write_jsonl(tmp_path / "c.jsonl", raw=json.dumps(record) + "\n")
    with unchanged(files=(path,)), bad_input(ProfileError, "c-3 (line 1 of c.jsonl)", "skills.0"):
        load_candidates(path)


@pytest.mark.filterwarnings("ignore::labourint_match.errors.LabourintMatchWarning")
def test_resolver_survives_lone_surrogates_and_every_odd_code_point(
    resolver: SkillResolver,
) -> None:
    """Mentions can come from sys.argv (surrogate escapes) or any str; never a crash."""
    odd = "".join(chr(c) for c in (0xD800, 0xDFFF, 0xFFFE, 0x10FFFF, 0x0, 0x202E, 0x0301, 0x3164))
    for text in (odd, "weld" + odd, odd * 100):
        assert isinstance(resolver.resolve(text, top_k=2), list)
    report = resolver.resolve_many(["", " ", odd, "\u0301"], top_k=1)
    assert set(report.unresolved) >= {0, 1}


def test_non_string_mentions_are_resolution_errors_naming_the_position(
    resolver: SkillResolver,
) -> None:
    with bad_input(ResolutionError, "position 0"):
        resolver.resolve(b"welding")  # type: ignore[arg-type]
    with bad_input(ResolutionError, "position 2"):
        resolver.resolve_many(["welding", "cooking", None])  # type: ignore[list-item]
    with bad_input(ResolutionError, fix="use resolve()"):
        resolver.resolve_many("welding")


# -- 11. the command line: bad files give exit 1 and one line, never a traceback ---------------


def _cli_cases(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """name: (arguments after 'rank', what the one-line error must say)."""
    good_c = write_jsonl(tmp / "c.jsonl", candidate_json("c-1"))
    good_v = write_jsonl(tmp / "v.jsonl", vacancy_json("v-1"))
    (tmp / "binary.jsonl").write_bytes(b"\xff\xfe" + MARKER.encode() + b"\x00")
    write_jsonl(tmp / "notjson.jsonl", raw='{"id": "c-1", "skills": ["' + MARKER + '"\n')
    write_jsonl(tmp / "negative.jsonl", vacancy_json("v-2", openings=-1))
    nan = json.dumps(vacancy_json("v-3", min_isced=987654321)).replace("987654321", "NaN")
    write_jsonl(tmp / "nan.jsonl", raw=nan + "\n")
    write_jsonl(tmp / "dups.jsonl", candidate_json("c-1"), candidate_json("c-1"))
    write_jsonl(tmp / "unknown.jsonl", candidate_json("c-4", skills=[NO_SUCH_SKILL, MARKER]))
    (tmp / "folder").mkdir()
    (tmp / "garbage.ttl").write_bytes(bytes(range(256)))
    (tmp / "xxe.rdf").write_bytes(
        rdf_xml('<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;")
    )
    (tmp / "config.json").write_text('{"gap_threshold": NaN}')
    c, v = str(good_c), str(good_v)
    return {
        "invalid-utf8": ([str(tmp / "binary.jsonl"), v], "not valid UTF-8"),
        "not-json": ([str(tmp / "notjson.jsonl"), v], "not valid JSON"),
        "negative-openings": ([c, str(tmp / "negative.jsonl")], "v-2 (line 1 of negative.jsonl)"),
        "nan": ([c, str(tmp / "nan.jsonl")], "finite number"),
        "duplicate-ids": ([str(tmp / "dups.jsonl"), v], "ids must be unique"),
        "unknown-concept": ([str(tmp / "unknown.jsonl"), v], NO_SUCH_SKILL),
        "missing-file": ([str(tmp / "missing.jsonl"), v], "no such file"),
        "directory": ([str(tmp / "folder"), v], "directory"),
        "garbage-taxonomy": ([c, v, "--taxonomy", str(tmp / "garbage.ttl")], "garbage.ttl"),
        "xxe-taxonomy": ([c, v, "--taxonomy", str(tmp / "xxe.rdf")], "external entity"),
        "url-taxonomy": ([c, v, "--taxonomy", "https://127.0.0.1:9/t.ttl"], "URL sources"),
        "nan-config": ([c, v, "--config", str(tmp / "config.json")], "gap_threshold"),
    }


CLI_CASES = [
    "invalid-utf8",
    "not-json",
    "negative-openings",
    "nan",
    "duplicate-ids",
    "unknown-concept",
    "missing-file",
    "directory",
    "garbage-taxonomy",
    "xxe-taxonomy",
    "url-taxonomy",
    "nan-config",
]


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_bad_input_exits_1_with_one_line_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    args, says = _cli_cases(tmp_path)[case]
    files = tuple(p for p in tmp_path.iterdir() if p.is_file())
    with unchanged(files=files):
        code, out, err = run_cli("rank", *args, "--as-of", "2026-01-01", capsys=capsys)
    assert code == 1, (code, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("labourint-match: error: "), err
    assert says in lines[0], lines[0]
    assert "Traceback" not in err
    assert MARKER not in err


# -- 12. arguments of the wrong type or shape ----------------------------------------------------
# Not in §9's list by name, but the same promise: a typed error, not a TypeError, AttributeError
# or OSError from inside (each of these escaped before; fixed in taxonomy/, resolve/, profiles/).

WRONG_ARGUMENTS: dict[str, Callable[[Taxonomy, SkillResolver, Path], object]] = {
    "language(None)": lambda t, r, tmp: t.language(None),  # type: ignore[arg-type]
    "concepts(kind='nope')": lambda t, r, tmp: t.concepts("nope"),
    "concepts(kind=5)": lambda t, r, tmp: t.concepts(5),  # type: ignore[arg-type]
    "subset('urn:x')": lambda t, r, tmp: t.subset("urn:x"),
    "with_labels(None)": lambda t, r, tmp: t.with_labels(None),  # type: ignore[arg-type]
    "with_labels([(uri,)])": lambda t, r, tmp: t.with_labels([(WELD,)]),  # type: ignore[list-item]
    "to_rdf(directory)": lambda t, r, tmp: t.to_rdf(tmp),
    "to_rdf(missing folder)": lambda t, r, tmp: t.to_rdf(tmp / "no" / "such.ttl"),
    "from_rdf(format=5)": lambda t, r, tmp: Taxonomy.from_rdf(b"x", format=5),  # type: ignore[arg-type]
    "from_esco_csv(None)": lambda t, r, tmp: Taxonomy.from_esco_csv(None),  # type: ignore[arg-type]
    "from_esco_csv(5)": lambda t, r, tmp: Taxonomy.from_esco_csv(5),  # type: ignore[arg-type]
    "from_esco_csv(relations=5)": lambda t, r, tmp: Taxonomy.from_esco_csv(tmp, relations=5),  # type: ignore[arg-type]
    "from_esco_csv(long path)": lambda t, r, tmp: Taxonomy.from_esco_csv("x" * 100_000),
    "resolve(kinds=5)": lambda t, r, tmp: r.resolve("welding", kinds=5),  # type: ignore[arg-type]
    "resolve(kinds=[5])": lambda t, r, tmp: r.resolve("welding", kinds=[5]),  # type: ignore[list-item]
    "validate_cohort(None)": lambda t, r, tmp: validate_cohort(None),  # type: ignore[arg-type]
    "validate_cohort(5)": lambda t, r, tmp: validate_cohort(5),  # type: ignore[arg-type]
    "load_candidates(NUL in path)": lambda t, r, tmp: load_candidates(str(tmp / "a\x00b")),
    "load_candidates(long path)": lambda t, r, tmp: load_candidates("x" * 100_000),
    "load_vacancies(None)": lambda t, r, tmp: load_vacancies(None),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("case", list(WRONG_ARGUMENTS))
def test_wrong_argument_types_give_typed_errors(
    taxonomy: Taxonomy, resolver: SkillResolver, tmp_path: Path, case: str
) -> None:
    with bad_input(LabourintMatchError):
        WRONG_ARGUMENTS[case](taxonomy, resolver, tmp_path)


def test_many_distinct_language_tags_do_not_grow_the_resolver_without_bound(
    resolver: SkillResolver,
) -> None:
    """Masks were cached per whole tag: 'en-x0', 'en-x1', … each kept an array per label."""
    expected = resolver.resolve("welding", lang="en", top_k=1)
    for i in range(300):
        assert resolver.resolve("welding", lang=f"en-x{i}", top_k=1) == expected
    assert len(resolver._masks) <= len(resolver.taxonomy.label_languages) + 1


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["assign", "{dups}", "{v}"], "ids must be unique"),
        (["assign", "{c}", "{v}", "--log", "{tmp}"], "is a directory"),
        (["explain", "{c}", "{v}", "--candidate", "nobody", "--vacancy", "v-1"], "no candidate"),
        (["resolve", "--input", "{binary}"], "not valid UTF-8"),
        (["resolve", "welding", "--lang", "xx"], "no labels in language 'xx'"),
        (["taxonomy", "compile", "{tmp}/missing.ttl"], "no such file"),
        (["taxonomy", "export", "{binary}", "-o", "{tmp}/out.ttl"], "could not be parsed"),
        (["rank", "{c}", "{v}", "-o", "{tmp}"], "is a directory"),
    ],
    ids=["assign-dups", "assign-log-dir", "explain-unknown-id", "resolve-binary",
         "resolve-unknown-lang", "compile-missing", "export-garbage", "rank-output-dir"],
)  # fmt: skip
def test_other_subcommands_exit_1_with_one_line_on_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    paths = {
        "c": write_jsonl(tmp_path / "c.jsonl", candidate_json("c-1")),
        "v": write_jsonl(tmp_path / "v.jsonl", vacancy_json("v-1")),
        "dups": write_jsonl(tmp_path / "d.jsonl", candidate_json("c-1"), candidate_json("c-1")),
        "binary": tmp_path / "binary.txt",
        "tmp": tmp_path,
    }
    paths["binary"].write_bytes(b"\xff\xfe" + MARKER.encode())
    files = tuple(p for p in tmp_path.iterdir() if p.is_file())
    with unchanged(files=files):
        code, out, err = run_cli(*(a.format(**paths) for a in argv), capsys=capsys)
    assert (code, out) == (1, ""), err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("labourint-match: error: ")
    assert says in err
    assert MARKER not in err
