"""Coverage-guided fuzzing of the input loaders with atheris (libFuzzer), for long runs.

Not collected by pytest (the file name does not start with ``test_``, and ``atheris`` is only in
the ``fuzz`` extra). Run one target at a time::

    pip install -e '.[fuzz]'
    python tests/fuzz/atheris_harness.py rdf -max_total_time=600
    python tests/fuzz/atheris_harness.py csv -max_total_time=600 -timeout=20
    python tests/fuzz/atheris_harness.py jsonl -max_total_time=600
    python tests/fuzz/atheris_harness.py resolve -max_total_time=600

Every argument after the target goes to libFuzzer (``-max_total_time``, ``-timeout``, ``-jobs``,
a corpus directory, ``-help=1``). With no corpus directory given, the run starts from a seed
corpus written to a temporary directory (small valid and near-valid inputs of each kind).

The property checked, for every input: the entry point either returns or raises a subclass of
:class:`~labourint_match.errors.LabourintMatchError`. Any other exception is a finding: libFuzzer
stops, prints the traceback and writes the input to ``crash-<sha1>``. A hang past ``-timeout``
seconds (default here: 10) is a finding too (``timeout-<sha1>``). Reproduce one with::

    python tests/fuzz/atheris_harness.py rdf crash-<sha1>

Targets
-------
rdf
    ``Taxonomy.from_rdf(bytes, format=...)``: the first input byte picks the format (guessed,
    turtle, xml, nt, json-ld, n3), the rest is the document.
csv
    ``Taxonomy.from_esco_csv(folder)``: the input is split on ``\\x00`` into the bodies of
    ``skills_en.csv``, ``occupations_en.csv``, ``broaderRelationsSkillPillar.csv``,
    ``occupationSkillRelations.csv`` and ``skillSkillRelations.csv``.
jsonl
    ``load_candidates`` / ``load_vacancies`` (first byte picks which, and whether the bundled
    taxonomy validates the concept URIs) on the rest of the input written to a file.
resolve
    ``SkillResolver(Taxonomy.default()).resolve(text, lang=..., top_k=...)`` on Unicode text
    drawn from the input (lone surrogates included, as ``sys.argv`` can hold them).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["labourint_match"]):
    from labourint_match import (
        SkillResolver,
        Taxonomy,
        load_candidates,
        load_vacancies,
    )
    from labourint_match.errors import LabourintMatchError

with atheris.instrument_imports(include=["rdflib"]):
    # The loaders import rdflib lazily; import its parsers here so that they are instrumented too.
    import rdflib.plugins.parsers.jsonld
    import rdflib.plugins.parsers.notation3
    import rdflib.plugins.parsers.ntriples
    import rdflib.plugins.parsers.rdfxml  # noqa: F401

SKOS = "http://www.w3.org/2004/02/skos/core#"
FORMATS: tuple[str | None, ...] = (None, "turtle", "xml", "nt", "json-ld", "n3")
CSV_FILES = (
    "skills_en.csv",
    "occupations_en.csv",
    "broaderRelationsSkillPillar.csv",
    "occupationSkillRelations.csv",
    "skillSkillRelations.csv",
)
_WORK = Path(tempfile.mkdtemp(prefix="labourint-fuzz-"))
os.environ.setdefault("LABOURINT_MATCH_CACHE_DIR", str(_WORK / "cache"))
warnings.simplefilter("ignore")  # TaxonomyWarning, truncation warnings: not findings
logging.getLogger("rdflib").setLevel(logging.CRITICAL)  # "does not look like a valid URI" noise


# -- seeds ----------------------------------------------------------------------------------------


def _seeds(target: str) -> list[bytes]:
    turtle = (
        f"@prefix skos: <{SKOS}> .\n"
        '<urn:ex:cooking> a skos:Concept ; skos:prefLabel "cooking"@en ; '
        'skos:altLabel "cuisine"@fr .\n'
        '<urn:ex:baking> a skos:Concept ; skos:prefLabel "baking"@en ; '
        "skos:broader <urn:ex:cooking> .\n"
    ).encode()
    xml = (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:skos="{SKOS}">\n<skos:Concept rdf:about="urn:ex:a">'
        '<skos:prefLabel xml:lang="en">cook</skos:prefLabel></skos:Concept>\n</rdf:RDF>\n'
    ).encode()
    nt = (
        b"<urn:ex:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" + SKOS.encode()
        + b"Concept> .\n<urn:ex:a> <" + SKOS.encode() + b'prefLabel> "cook"@en .\n'
    )  # fmt: skip
    jsonld = (
        f'{{"@context": {{"skos": "{SKOS}"}}, "@id": "urn:ex:a", "@type": "skos:Concept", '
        '"skos:prefLabel": {"@value": "cook", "@language": "en"}}'
    ).encode()
    if target == "rdf":
        return [b"\x00" + turtle, b"\x01" + turtle, b"\x02" + xml, b"\x03" + nt, b"\x04" + jsonld]
    if target == "csv":
        parts = [
            "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels\n"
            "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s1,knowledge,,"
            'food hygiene,"hygiene\nsafety"\n',
            "conceptType,conceptUri,preferredLabel,altLabels\n"
            "Occupation,http://data.europa.eu/esco/occupation/o1,cook,chef\n",
            "conceptType,conceptUri,broaderType,broaderUri\n",
            "occupationUri,relationType,skillType,skillUri\n"
            "http://data.europa.eu/esco/occupation/o1,essential,knowledge,"
            "http://data.europa.eu/esco/skill/s1\n",
            "originalSkillUri,originalSkillType,relationType,relatedSkillUri,relatedSkillType\n",
        ]
        return ["\x00".join(parts).encode()]
    if target == "jsonl":
        lines = (
            b'{"id": "c-1", "skills": ["welding", {"skill": "cooking", "years": 3}], '
            b'"languages": [{"language": "sv", "level": "B1"}], "location": {"lat": 59.3, '
            b'"lon": 18.1}, "max_commute_km": 30}\n{"id": "c-2", "skills": []}\n'
        )
        array = b'[{"id": "v-1", "skills": ["welding"], "openings": 2, "min_isced": 3}]'
        return [b"\x00" + lines, b"\x01" + array, b"\x02" + lines, b"\x03" + array]
    return [
        b"welding",
        "\x00\x05städa rum".encode(),
        "\x01\x01تنظيف الغرف".encode(),
        "\x02\x02cle\u0301an the ro\u200boms".encode(),
    ]


# -- targets --------------------------------------------------------------------------------------


def _rdf(data: bytes) -> None:
    if not data:
        return
    fmt = FORMATS[data[0] % len(FORMATS)]
    with contextlib.suppress(LabourintMatchError):
        Taxonomy.from_rdf(bytes(data[1:]), format=fmt, cache=False)


_CSV_DIR = _WORK / "esco"


def _csv(data: bytes) -> None:
    _CSV_DIR.mkdir(exist_ok=True)
    for child in _CSV_DIR.iterdir():
        child.unlink()
    for name, body in zip(CSV_FILES, data.split(b"\x00"), strict=False):
        (_CSV_DIR / name).write_bytes(body)
    with contextlib.suppress(LabourintMatchError):
        Taxonomy.from_esco_csv(_CSV_DIR, cache=False)


_TAXONOMY: Taxonomy | None = None
_RESOLVER: SkillResolver | None = None


def _bundled() -> Taxonomy:
    global _TAXONOMY
    if _TAXONOMY is None:
        _TAXONOMY = Taxonomy.default()
    return _TAXONOMY


_JSON_FILE = _WORK / "records.jsonl"


def _jsonl(data: bytes) -> None:
    if not data:
        return
    mode = data[0]
    _JSON_FILE.write_bytes(data[1:])
    load = load_vacancies if mode & 1 else load_candidates
    taxonomy = _bundled() if mode & 2 else None
    with contextlib.suppress(LabourintMatchError):
        load(_JSON_FILE, taxonomy=taxonomy, lenient=bool(mode & 4))


_LANGS = (None, "en", "sv", "ar", "uk", "", "EN-gb", "xx")


def _resolve(data: bytes) -> None:
    global _RESOLVER
    if _RESOLVER is None:
        _RESOLVER = SkillResolver(_bundled())
    fdp = atheris.FuzzedDataProvider(data)
    lang = _LANGS[fdp.ConsumeIntInRange(0, len(_LANGS) - 1)]
    top_k = fdp.ConsumeIntInRange(1, 50)
    text = fdp.ConsumeUnicode(fdp.remaining_bytes())  # surrogates too (argv)
    with contextlib.suppress(LabourintMatchError):
        _RESOLVER.resolve(text, lang, top_k=top_k)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "rdf": _rdf,
    "csv": _csv,
    "jsonl": _jsonl,
    "resolve": _resolve,
}


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: {argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options] [corpus dir]")
    target = argv[1]
    rest = argv[2:]
    if not any(a.startswith("-timeout=") for a in rest):
        rest.append("-timeout=10")
    if not any(not a.startswith("-") for a in rest):  # no corpus or crash file: seed one
        corpus = _WORK / f"corpus-{target}"
        corpus.mkdir()
        for i, seed in enumerate(_seeds(target)):
            (corpus / f"seed-{i}").write_bytes(seed)
        rest.append(str(corpus))
    if target == "resolve":
        _resolve(b"warm up")  # build the index before the clock starts
    atheris.Setup([argv[0], *rest], TARGETS[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
