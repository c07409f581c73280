"""Fuzzing Taxonomy.from_rdf: any bytes, in any format, load or raise a LabourintMatchError.

Inputs are raw bytes, token soups of each RDF syntax (so that the parsers get past their first
byte), JSON-LD documents built from JSON-LD keywords, and valid documents with random edits. A
taxonomy that loads must answer queries and survive a Turtle round trip. Each example has a
deadline: a hang is a failure. Longer, coverage-guided runs: ``tests/fuzz/atheris_harness.py``.
"""

from __future__ import annotations

import json
import os
import warnings
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labourint_match import Taxonomy
from labourint_match.errors import LabourintMatchError

SKOS = "http://www.w3.org/2004/02/skos/core#"
ESCO = "http://data.europa.eu/esco/model#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
FORMATS = st.sampled_from([None, "turtle", "xml", "nt", "json-ld", "n3"])
# LABOURINT_FUZZ_SCALE=20 multiplies the number of examples, for a longer search.
SCALE = int(os.environ.get("LABOURINT_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=200 * SCALE,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TURTLE_TOKENS = [
    f"@prefix skos: <{SKOS}> .",
    f"@prefix esco: <{ESCO}> .",
    "@base <urn:ex:> .",
    "<urn:ex:a>",
    "<urn:ex:b>",
    "<a>",
    "<http://127.0.0.1:9/x>",
    "_:b0",
    "[",
    "]",
    "(",
    ")",
    "a",
    "skos:Concept",
    "esco:Skill",
    "esco:Occupation",
    "esco:SkillGroup",
    "skos:prefLabel",
    "skos:altLabel",
    "skos:hiddenLabel",
    "skos:broader",
    "skos:narrower",
    "esco:relatedEssentialSkill",
    "esco:isOptionalSkillFor",
    '"cook"@en',
    '"städa"@sv',
    '"x"@en-GB',
    '"bad"@-',
    '"""multi\nline"""',
    '"\\u0000"',
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    "1",
    "-0.5e9",
    "true",
    ";",
    ",",
    ".",
    "\\",
    "#",
    "\n",
    "\ufeff",
    "\u202e",
]
XML_TOKENS = [
    '<?xml version="1.0"?>',
    '<?xml version="1.0" encoding="UTF-16"?>',
    "<!DOCTYPE rdf:RDF [",
    '<!ENTITY e "x">',
    '<!ENTITY f "&e;&e;&e;">',
    '<!ENTITY x SYSTEM "http://127.0.0.1:9/x">',
    "<!ENTITY % p 'y'>",
    "]>",
    f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:skos="{SKOS}" xmlns:esco="{ESCO}">',
    "</rdf:RDF>",
    '<skos:Concept rdf:about="urn:ex:a">',
    '<skos:Concept rdf:about="&e;">',
    '<rdf:Description rdf:about="urn:ex:b">',
    '<rdf:type rdf:resource="http://www.w3.org/2004/02/skos/core#Concept"/>',
    "</skos:Concept>",
    "</rdf:Description>",
    '<skos:prefLabel xml:lang="en">',
    "</skos:prefLabel>",
    '<skos:broader rdf:resource="urn:ex:b"/>',
    '<skos:broader rdf:nodeID="n1"/>',
    '<skos:altLabel rdf:parseType="Literal"><b>x</b></skos:altLabel>',
    "cook",
    "&e;",
    "&f;",
    "&x;",
    "&#0;",
    "&#x202e;",
    "<![CDATA[ ]]>",
    "<!-- c -->",
    "<",
    ">",
    "&",
]
JSONLD_KEYS = [
    "@context",
    "@id",
    "@type",
    "@graph",
    "@value",
    "@language",
    "@import",
    "@version",
    "@vocab",
    "@base",
    "@list",
    "@set",
    "@reverse",
    "@included",
    "@nest",
    "@protected",
    "skos",
    "skos:prefLabel",
    "skos:broader",
    "prefLabel",
]
JSONLD_STRINGS = [
    "urn:ex:a",
    "urn:ex:b",
    SKOS,
    "skos:Concept",
    "esco:Skill",
    "http://127.0.0.1:9/ctx.jsonld",
    "ctx.jsonld",
    "file:///etc/passwd",
    "en",
    "cook",
    "@id",
    "",
]


def _json_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(JSONLD_STRINGS),
        st.text(max_size=10),
    )
    keys = st.one_of(st.sampled_from(JSONLD_KEYS), st.text(max_size=5))
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)
        ),
        max_leaves=30,
    )


def _soup(tokens: list[str]) -> st.SearchStrategy[bytes]:
    return st.lists(st.sampled_from(tokens), max_size=60).map(lambda t: " ".join(t).encode())


TURTLE_SEED = (
    f"@prefix skos: <{SKOS}> .\n@prefix esco: <{ESCO}> .\n"
    '<urn:ex:a> a esco:Skill ; skos:prefLabel "a"@en ; skos:broader <urn:ex:b> .\n'
    '<urn:ex:b> a skos:Concept ; skos:prefLabel "b"@en ; skos:altLabel "bee"@en .\n'
    '<urn:ex:o> a esco:Occupation ; skos:prefLabel "o"@en ;\n'
    "    esco:relatedEssentialSkill <urn:ex:a> .\n"
).encode()
XML_SEED = (
    f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF}" xmlns:skos="{SKOS}">\n'
    '<skos:Concept rdf:about="urn:ex:a"><skos:prefLabel xml:lang="en">a</skos:prefLabel>'
    '<skos:broader rdf:resource="urn:ex:b"/></skos:Concept>\n'
    '<skos:Concept rdf:about="urn:ex:b"><skos:prefLabel xml:lang="sv">b</skos:prefLabel>'
    "</skos:Concept>\n</rdf:RDF>\n"
).encode()
JSONLD_SEED = json.dumps(
    {
        "@context": {"skos": SKOS},
        "@graph": [
            {"@id": "urn:ex:a", "@type": "skos:Concept", "skos:prefLabel": {"@value": "a"}},
            {"@id": "urn:ex:b", "@type": "skos:Concept", "skos:broader": {"@id": "urn:ex:a"}},
        ],
    }
).encode()
NT_SEED = (
    f"<urn:ex:a> <{RDF}type> <{SKOS}Concept> .\n"
    f'<urn:ex:a> <{SKOS}prefLabel> "a"@en .\n'
    f"<urn:ex:b> <{SKOS}broader> <urn:ex:a> .\n"
).encode()


@st.composite
def _edited(draw: st.DrawFn) -> bytes:
    """A valid document with a few random insertions, deletions and replacements."""
    data = bytearray(draw(st.sampled_from([TURTLE_SEED, XML_SEED, JSONLD_SEED, NT_SEED])))
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if kind == "insert":
            data[pos:pos] = chunk
        elif kind == "delete":
            del data[pos : pos + len(chunk)]
        else:
            data[pos : pos + len(chunk)] = chunk
    return bytes(data)


DOCUMENTS = st.one_of(
    st.binary(max_size=2000),
    _soup(TURTLE_TOKENS),
    _soup(XML_TOKENS),
    _json_values().map(lambda v: json.dumps(v).encode()),
    _edited(),
)


def check_rdf(data: bytes, fmt: str | None) -> None:
    """The property: a taxonomy that works, or a LabourintMatchError; nothing else."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            taxonomy = Taxonomy.from_rdf(data, format=fmt, cache=False)
        except LabourintMatchError:
            return
        assert len(taxonomy) > 0
        for uri in taxonomy.uris[:20]:
            taxonomy.concept(uri)
            taxonomy.ancestors(uri)
            taxonomy.narrower(uri)
        exported = taxonomy.to_rdf()
        assert exported is not None
        again = Taxonomy.from_rdf(exported.encode(), format="turtle", cache=False)
        assert again.uris == taxonomy.uris


@FUZZ
@given(data=DOCUMENTS, fmt=FORMATS)
def test_any_rdf_bytes_load_or_raise_a_labourint_match_error(data: bytes, fmt: str | None) -> None:
    check_rdf(data, fmt)


@FUZZ
@given(data=_edited())
def test_edited_valid_documents_load_or_raise_a_labourint_match_error(data: bytes) -> None:
    check_rdf(data, None)
