"""SKOS / ESCO RDF: safe parsing with rdflib, reading into a builder, and writing Turtle.

Safety: the bytes are read here, never by rdflib from a location, so no URL is ever opened. Before
rdflib sees them, RDF/XML is scanned with expat for document type declarations that name external
resources, parameter entities and nested entity definitions (the "billion laughs"), and JSON-LD is
scanned for remote ``@context`` references and ``@import``; any of those is refused with a
:class:`~labourint_match.errors.TaxonomyError` rather than fetched or expanded.

Bounds: a source holds at most :data:`MAX_RDF_BYTES` (a file's size is checked before it is read);
N-Triples is first read line by line, each line bounded by :data:`MAX_NT_LINE_BYTES` (which bounds
its literal) and checked for syntax, so that an error is reported with its line before any graph is
built, and then parsed line by line, so that every error names its line. Labels, scope notes and
codes longer than the builder's limits (``MAX_LABEL_CHARS``, ``MAX_NOTE_CHARS``) are refused
whatever the format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat
from xml.sax import handler as sax_handler
from xml.sax.expatreader import ExpatParser

from ..errors import TaxonomyError
from ._compiled import KIND_NAMES, LABEL_KINDS, REUSE_LEVELS, SKILL_TYPES, Compiled, TaxonomyBuilder

__all__ = [
    "MAX_NT_LINE_BYTES",
    "MAX_RDF_BYTES",
    "compile_rdf",
    "detect_format",
    "read_rdf_file",
    "write_turtle",
]

#: The most bytes an RDF source may hold. rdflib's graph takes about ten times a file's size in
#: memory (measured on N-Triples); the bundled taxonomy holds 1,031,128.
MAX_RDF_BYTES = 1024 * 1024 * 1024
#: The longest N-Triples line, in bytes (a line holds one triple, its literal with it).
MAX_NT_LINE_BYTES = 1024 * 1024

SKOS = "http://www.w3.org/2004/02/skos/core#"
ESCO = "http://data.europa.eu/esco/model#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCT_LANGUAGE = "http://purl.org/dc/terms/language"
SKILL_TYPE_BASE = "http://data.europa.eu/esco/skill-type/"
REUSE_BASE = "http://data.europa.eu/esco/skill-reuse-level/"
RELATIONSHIP_BASE = "http://data.europa.eu/esco/relationship-type/"

_FORMATS = {
    "turtle": "turtle", "ttl": "turtle", "text/turtle": "turtle",
    "xml": "xml", "rdf/xml": "xml", "rdfxml": "xml", "application/rdf+xml": "xml",
    "nt": "nt", "ntriples": "nt", "n-triples": "nt", "application/n-triples": "nt",
    "json-ld": "json-ld", "jsonld": "json-ld", "application/ld+json": "json-ld",
    "n3": "n3", "text/n3": "n3",
}  # fmt: skip
_EXTENSIONS = {
    ".ttl": "turtle", ".turtle": "turtle", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
    ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".n3": "n3",
}  # fmt: skip
_FORMAT_NAMES = {"turtle": "Turtle", "xml": "RDF/XML", "nt": "N-Triples", "json-ld": "JSON-LD",
                 "n3": "Notation3"}  # fmt: skip
_PUBLIC_ID = "urn:x-labourint-match:base/"
_MAX_XML_ENTITIES = 64
_BOM = b"\xef\xbb\xbf"
_MAX_XML_ENTITY_TEXT = 65536
_NT_EOL = re.compile(rb"\r\n|[\r\n]")
_ASCII = re.compile(rb"[\x00-\x7f]")
_UTF8_STEP = 1 << 24
# A fast check of the common N-Triples line, on bytes, with its line ending: stricter than rdflib's
# grammar (ASCII IRIs without escapes, the escapes N-Triples defines); rdflib's own parser judges
# any line it does not match. No two of its repeats can match the same text, so it fails in linear
# time.
_NT_IRI = rb'<[^\x00-\x20<>"{}|^`\\:\x7f-\xff]+:[^\x00-\x20<>"{}|^`\\\x7f-\xff]*>'
_NT_NODE = rb"_:[A-Za-z0-9_:](?:[-A-Za-z0-9_:.]*[-A-Za-z0-9_:])?"
_NT_LITERAL = (
    rb'"[^"\\\r\n]*(?:\\(?:[tbnrf"\'\\]|u[0-9A-Fa-f]{4}|U(?:000[0-9A-Fa-f]|0010)[0-9A-Fa-f]{4})'
    rb'[^"\\\r\n]*)*"(?:@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*|\^\^' + _NT_IRI + rb")?"
)
_NT_FAST_LINE = re.compile(
    rb"[ \t]*(?:(?:%(iri)s|%(node)s)[ \t]+%(iri)s[ \t]+(?:%(iri)s|%(node)s|%(literal)s)"
    rb"[ \t]*\.[ \t]*(?:#[^\r\n]*)?|#[^\r\n]*)?(?:\r\n|\r|\n|\Z)"
    % {b"iri": _NT_IRI, b"node": _NT_NODE, b"literal": _NT_LITERAL}
)

# Kinds by rdf:type, strongest first.
_TYPE_KINDS = (
    (ESCO + "Occupation", "occupation"),
    (ESCO + "ISCOGroup", "occupation_group"),
    (ESCO + "SkillGroup", "skill_group"),
    (ESCO + "Skill", "skill"),
)
_LABEL_PREDICATES = (
    (SKOS + "prefLabel", "pref"),
    (SKOS + "altLabel", "alt"),
    (SKOS + "hiddenLabel", "hidden"),
    (SKOS + "scopeNote", "scope_note"),
)


def _check_size(name: str, size: int) -> None:
    if size > MAX_RDF_BYTES:
        raise TaxonomyError(
            f"the source holds {size:,} bytes or more, over the limit of {MAX_RDF_BYTES:,} bytes "
            "for an RDF source; load ESCO from its CSV export (Taxonomy.from_esco_csv), or split "
            "the file",
            source=name,
        )


def read_rdf_file(path: Path) -> bytes:
    """The bytes of the RDF file `path`, refused unread when it holds over :data:`MAX_RDF_BYTES`.

    Raises
    ------
    TaxonomyError
        The file is too large (naming the limit), or cannot be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "t.ttl"
    ...     _ = path.write_bytes(b"<urn:ex:a> a <urn:ex:B> .")
    ...     read_rdf_file(path)
    b'<urn:ex:a> a <urn:ex:B> .'
    """
    try:
        _check_size(str(path), path.stat().st_size)
        with path.open("rb") as fh:
            data = fh.read(MAX_RDF_BYTES + 1)  # bounded, should the file grow meanwhile
    except OSError as exc:
        raise TaxonomyError(f"cannot read the file ({exc.strerror})", source=str(path)) from None
    _check_size(str(path), len(data))
    return data


def _line_number(data: bytes, pos: int) -> int:
    """The number of the line holding byte `pos` (lines end in CR, LF or CRLF)."""
    return data.count(b"\n", 0, pos) + data.count(b"\r", 0, pos) - data.count(b"\r\n", 0, pos) + 1


def _nt_line(name: str, data: bytes, pos: int, number: int) -> tuple[str, int]:
    """The text of line `number`, which begins at `pos`, and where the next begins.

    The line ending is looked for no further than :data:`MAX_NT_LINE_BYTES` ahead.
    """
    limit = MAX_NT_LINE_BYTES
    size = len(data)
    found = _NT_EOL.search(data, pos, min(size, pos + limit + 2))
    end, after = (found.start(), found.end()) if found else (size, size)
    if end - pos > limit:
        raise TaxonomyError(
            f"a line longer than the limit of {limit:,} bytes; N-Triples holds one triple, "
            "its literal with it, per line",
            source=name,
            line=number,
        )
    try:
        return data[pos:end].decode("utf-8"), after
    except UnicodeDecodeError as exc:
        raise TaxonomyError(
            f"N-Triples is not UTF-8 ({exc.reason})", source=name, line=number
        ) from None


def _nt_lines(name: str, data: bytes) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each N-Triples line, each bounded by :data:`MAX_NT_LINE_BYTES`.

    Lines end in CR, LF or CRLF, as rdflib counts them.
    """
    pos, number = 0, 0
    while pos < len(data):
        number += 1
        text, pos = _nt_line(name, data, pos, number)
        yield number, text


def _nt_error(name: str, number: int, exc: BaseException) -> TaxonomyError:
    detail = " ".join(str(exc).split())[:300] or type(exc).__name__
    return TaxonomyError(
        f"could not be parsed as N-Triples ({detail}); fix the syntax, or pass format= if the "
        "file is in another RDF format",
        source=name,
        line=number,
    )


class _NoSink:
    """A sink for rdflib's N-Triples parser that keeps nothing."""

    def triple(self, *_terms: Any) -> None:
        return None


def _check_utf8(name: str, data: bytes) -> None:
    """Refuse bytes that are not UTF-8, naming the line; decoded 16 MiB at a time, and dropped."""
    view = memoryview(data)
    start, size = 0, len(data)
    while start < size:
        ascii_byte = _ASCII.search(data, min(start + _UTF8_STEP, size))  # a character's start
        cut = ascii_byte.start() if ascii_byte else size
        try:
            str(view[start:cut], "utf-8")
        except UnicodeDecodeError as exc:
            raise TaxonomyError(
                f"N-Triples is not UTF-8 ({exc.reason})",
                source=name,
                line=_line_number(data, start + exc.start),
            ) from None
        start = cut


def _check_ntriples(name: str, data: bytes) -> None:
    """Check the encoding, and every line's length and syntax, before a graph is built.

    Lines the fast pattern matches are well-formed; any other is read as :func:`_nt_lines` reads
    it (bounded) and parsed by rdflib, alone.
    """
    from rdflib.plugins.parsers.ntriples import W3CNTriplesParser

    _check_utf8(name, data)
    parser = W3CNTriplesParser(sink=None)
    parser.sink = _NoSink()  # type: ignore[assignment]
    match = _NT_FAST_LINE.match
    limit = MAX_NT_LINE_BYTES
    pos, size, number = 0, len(data), 0
    while pos < size:
        number += 1
        found = match(data, pos)
        if found is not None and found.end() - pos <= limit:
            pos = found.end()
            continue
        parser.line, pos = _nt_line(name, data, pos, number)
        try:
            parser.parseline()
        except Exception as exc:  # rdflib's ParserError, or a term it cannot build
            raise _nt_error(name, number, exc) from None


def _parse_ntriples(name: str, graph: Any, data: bytes) -> None:
    """What ``graph.parse(data=data, format="nt")`` does, line by line, naming a failing line."""
    from rdflib.plugins.parsers.ntriples import NTGraphSink, W3CNTriplesParser

    parser = W3CNTriplesParser(NTGraphSink(graph))
    for number, text in _nt_lines(name, data):
        parser.line = text
        try:
            parser.parseline()
        except Exception as exc:  # rdflib's ParserError, or a term it cannot build
            raise _nt_error(name, number, exc) from None


def detect_format(name: str | None, data: bytes, fmt: str | None) -> str:
    """Normalise an explicit format name, or guess one from the file name, then the content."""
    if fmt is not None:
        key = fmt.strip().lower() if isinstance(fmt, str) else None
        if key not in _FORMATS:
            raise TaxonomyError(
                f"unknown RDF format {fmt!r}; use one of 'turtle', 'xml', 'nt', 'json-ld', 'n3'",
                source=name,
            )
        return _FORMATS[key]
    if name is not None:
        suffix = Path(name).suffix.lower()
        if suffix in _EXTENSIONS:
            return _EXTENSIONS[suffix]
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<rdf:RDF", b"<!DOCTYPE", b"<!--")):
        return "xml"
    if head.startswith((b"{", b"[")):
        return "json-ld"
    return "turtle"


def _line_of(exc: BaseException) -> int | None:
    value = getattr(exc, "lineno", None)
    if isinstance(value, int):
        return value
    value = getattr(exc, "lines", None)  # rdflib's Turtle/N3 BadSyntax counts lines from 0
    if isinstance(value, int):
        return value + 1
    get_line = getattr(exc, "getLineNumber", None)
    if callable(get_line):
        try:
            value = get_line()
            return value if isinstance(value, int) else None
        except Exception:
            return None
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


class _StopScan(Exception):  # noqa: N818 - a signal, not an error
    """Raised from an expat handler to stop scanning once the prolog has been read."""


def _check_xml(name: str, data: bytes) -> None:
    """Refuse RDF/XML whose DTD could fetch a resource or expand without bound."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    state = {"count": 0, "size": 0}

    def refuse(why: str) -> TaxonomyError:
        return TaxonomyError(
            f"RDF/XML refused: {why}. Entity declarations that point outside the file or nest "
            "other entities are not processed; remove the DOCTYPE declaration",
            source=name,
            line=parser.CurrentLineNumber,
        )

    def on_doctype(
        _name: str, system_id: str | None, public_id: str | None, _internal: int
    ) -> None:
        if system_id or public_id:
            raise refuse("the DOCTYPE names an external DTD")

    def on_entity(
        entity: str, is_parameter: int, value: str | None, _base: str | None,
        system_id: str | None, public_id: str | None, notation: str | None,
    ) -> None:  # fmt: skip
        if is_parameter:
            raise refuse(f"parameter entity {entity!r}")
        if value is None or system_id or public_id or notation:
            raise refuse(f"external entity {entity!r}")
        if "&" in value or "%" in value:
            raise refuse(f"entity {entity!r} refers to other entities (entity expansion)")
        state["count"] += 1
        state["size"] += len(value)
        if state["count"] > _MAX_XML_ENTITIES or state["size"] > _MAX_XML_ENTITY_TEXT:
            raise refuse("too many or too large entity declarations")

    def on_external_ref(*_args: Any) -> int:
        raise refuse("reference to an external entity")

    def on_start(*_args: Any) -> None:
        raise _StopScan  # the prolog is all we need to check

    parser.StartDoctypeDeclHandler = on_doctype
    parser.EntityDeclHandler = on_entity
    parser.ExternalEntityRefHandler = on_external_ref
    parser.StartElementHandler = on_start
    try:
        parser.Parse(data, True)
    except _StopScan:
        return
    except expat.ExpatError as exc:
        raise TaxonomyError(
            f"not well-formed RDF/XML: {expat.ErrorString(exc.code)}", source=name, line=exc.lineno
        ) from None


def _remote_contexts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield from _context_problems(value)
            else:
                yield from _remote_contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _remote_contexts(item)


def _context_problems(ctx: Any) -> Iterator[str]:
    if isinstance(ctx, str):
        yield f"remote @context {ctx[:200]!r}"
    elif isinstance(ctx, list):
        for item in ctx:
            yield from _context_problems(item)
    elif isinstance(ctx, dict):
        if "@import" in ctx:
            yield "@context with @import"
        for value in ctx.values():
            if isinstance(value, dict) and "@context" in value:
                yield from _context_problems(value["@context"])


def _check_jsonld(name: str, data: bytes) -> None:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"JSON-LD is not UTF-8 ({exc.reason})", source=name) from None
    except json.JSONDecodeError as exc:
        raise TaxonomyError(f"not valid JSON: {exc.msg}", source=name, line=exc.lineno) from None
    except RecursionError:
        raise TaxonomyError("JSON nested too deeply", source=name) from None
    try:
        problems = list(_remote_contexts(doc))
    except RecursionError:
        raise TaxonomyError("JSON nested too deeply", source=name) from None
    if problems:
        raise TaxonomyError(
            f"JSON-LD refused: {problems[0]}; contexts are never fetched over the network, "
            "inline the context object in the file instead",
            source=name,
        )


class _BufferedExpatParser(ExpatParser):
    """The SAX expat reader with character data buffered into large chunks.

    rdflib's RDF/XML handler appends each chunk of character data to the literal it builds, and
    expat hands over a chunk per line, per character reference and per entity reference: unbuffered,
    a literal made of many short chunks (an internal entity referenced thousands of times) takes
    quadratic time.
    """

    def reset(self) -> None:
        super().reset()
        parser: Any = self._parser  # type: ignore[attr-defined]
        parser.buffer_text = True
        parser.buffer_size = 1 << 16


def _parse_rdf_xml(graph: Any, data: bytes) -> None:
    """What ``graph.parse(data=data, format="xml")`` does, with :class:`_BufferedExpatParser`."""
    from rdflib.parser import create_input_source
    from rdflib.plugins.parsers.rdfxml import RDFXMLHandler

    source = create_input_source(data=data, format="xml", publicID=_PUBLIC_ID)
    reader = _BufferedExpatParser()
    reader.setFeature(sax_handler.feature_namespaces, 1)
    content: Any = RDFXMLHandler(graph)  # rdflib passes the input source as its locator too
    content.setDocumentLocator(source)
    reader.setContentHandler(content)
    reader.parse(source)


def _parse_graph(name: str, data: bytes, fmt: str) -> Any:
    import rdflib  # deferred: a cached taxonomy loads without importing rdflib

    _check_size(name, len(data))
    if fmt == "xml":
        _check_xml(name, data)
    elif fmt == "json-ld":
        _check_jsonld(name, data)
    elif fmt == "nt":
        data = data.removeprefix(_BOM)
        _check_ntriples(name, data)
    graph = rdflib.Graph()
    try:
        if fmt == "xml":
            _parse_rdf_xml(graph, data)  # expat reads a byte-order mark itself
        elif fmt == "nt":
            _parse_ntriples(name, graph, data)
        else:
            # A UTF-8 byte-order mark (as Windows editors write) is not Turtle syntax to rdflib.
            graph.parse(data=data.removeprefix(_BOM), format=fmt, publicID=_PUBLIC_ID)
    except TaxonomyError:
        raise
    except (Exception, AssertionError) as exc:  # rdflib raises bare AssertionErrors, among others
        detail = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise TaxonomyError(
            f"could not be parsed as {_FORMAT_NAMES[fmt]} ({detail}); fix the syntax, or pass "
            "format= if the file is in another RDF format",
            source=name,
            line=_line_of(exc),
        ) from None
    return graph


def compile_rdf(name: str, data: bytes, fmt: str, *, strict: bool) -> Compiled:
    """Parse RDF bytes safely and compile the SKOS/ESCO concepts they hold."""
    from rdflib import BNode, Literal, URIRef

    graph = _parse_graph(name, data, fmt)

    def objects(predicate: str) -> Iterator[tuple[Any, Any]]:
        for s, _p, o in graph.triples((None, URIRef(predicate), None)):
            yield s, o

    kinds: dict[str, str] = {}
    rank = {kind: r for r, (_t, kind) in enumerate(_TYPE_KINDS)}
    for type_uri, kind in _TYPE_KINDS:
        for s in graph.subjects(URIRef(RDF_TYPE), URIRef(type_uri)):
            if isinstance(s, URIRef):
                uri = str(s)
                if uri not in kinds or rank[kind] < rank[kinds[uri]]:
                    kinds[uri] = kind
    has_esco_types = bool(kinds)
    for s in graph.subjects(URIRef(RDF_TYPE), URIRef(SKOS + "Concept")):
        if isinstance(s, URIRef) and str(s) not in kinds:
            # A plain SKOS file is a skill taxonomy; beside ESCO types, untyped ones are "other".
            kinds[str(s)] = "other" if has_esco_types else "skill"
    for uri, kind in kinds.items():
        if kind == "occupation" and "/esco/isco/" in uri:
            kinds[uri] = "occupation_group"

    skill_type: dict[str, str] = {}
    reuse_level: dict[str, str] = {}
    code: dict[str, str] = {}
    for s, o in objects(ESCO + "skillType"):
        value = str(o).rsplit("/", 1)[-1]
        skill_type[str(s)] = value if value in SKILL_TYPES else ""
    for s, o in objects(ESCO + "skillReuseLevel"):
        value = str(o).rsplit("/", 1)[-1]
        reuse_level[str(s)] = value if value in REUSE_LEVELS else ""
    for s, o in objects(SKOS + "notation"):
        code[str(s)] = str(o)
    builder = TaxonomyBuilder(name)
    for uri, kind in kinds.items():
        builder.add_concept(
            uri,
            kind,
            skill_type=skill_type.get(uri, ""),
            reuse_level=reuse_level.get(uri, ""),
            code=code.get(uri, ""),
        )

    for predicate, lkind in _LABEL_PREDICATES:
        for s, o in objects(predicate):
            if isinstance(o, Literal) and str(s) in kinds:
                builder.add_label(str(s), o.language or "", lkind, str(o))
    for s, o in objects(SKOS + "broader"):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            builder.add_broader(str(s), str(o))
    for s, o in objects(SKOS + "narrower"):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            builder.add_broader(str(o), str(s))

    def relate(subject: str, skill: str, essential: bool) -> None:
        if kinds.get(subject) == "skill":
            builder.add_skill_relation(subject, skill, essential)
        else:
            builder.add_occupation_skill(subject, skill, essential)

    for predicate, essential in (("relatedEssentialSkill", True), ("relatedOptionalSkill", False)):
        for s, o in objects(ESCO + predicate):
            relate(str(s), str(o), essential)
    for predicate, essential in (("isEssentialSkillFor", True), ("isOptionalSkillFor", False)):
        for s, o in objects(ESCO + predicate):
            relate(str(o), str(s), essential)
    _read_associations(graph, kinds, relate, URIRef, BNode)

    for s, o in objects(DCT_LANGUAGE):
        if str(s) in kinds and isinstance(o, Literal):
            builder.set_language_code(str(s), str(o))
    return builder.build(strict=strict)


def _read_associations(
    graph: Any, kinds: dict[str, str], relate: Any, uriref: Any, bnode: Any
) -> None:
    """ESCO association objects: a node whose type or property value is a relationship type."""
    for essential, suffixes in ((True, ("essential-skill", "essential")),
                                (False, ("optional-skill", "optional"))):  # fmt: skip
        for suffix in suffixes:
            rel_type = uriref(RELATIONSHIP_BASE + suffix)
            for node, _p, _o in graph.triples((None, None, rel_type)):
                skills = [str(o) for o in graph.objects(node, None) if kinds.get(str(o)) == "skill"]
                owners = {str(s) for s in graph.subjects(None, node) if str(s) in kinds}
                owners |= {
                    str(o)
                    for o in graph.objects(node, None)
                    if kinds.get(str(o)) in ("occupation", "occupation_group")
                }
                if not isinstance(node, (uriref, bnode)):
                    continue
                for owner in sorted(owners):
                    for skill in skills:
                        if skill != owner:
                            relate(owner, skill, essential)


# -- writing ------------------------------------------------------------------------------------

_TYPE_OF_KIND = {
    "skill": "skos:Concept, esco:Skill",
    "occupation": "skos:Concept, esco:Occupation",
    "skill_group": "skos:Concept, esco:SkillGroup",
    "occupation_group": "skos:Concept, esco:ISCOGroup",
    "other": "skos:Concept",
}
_LABEL_PREDICATE_NAMES = ("skos:prefLabel", "skos:altLabel", "skos:hiddenLabel", "skos:scopeNote")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _literal(text: str, lang: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    body = '"' + "".join(out) + '"'
    return f"{body}@{lang}" if lang else body


def write_turtle(c: Compiled, header: str = "") -> str:
    """Serialise compiled content as deterministic Turtle that :func:`compile_rdf` reads back."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix esco: <http://data.europa.eu/esco/model#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "",
    ]
    uris = c.uris
    for i, uri in enumerate(uris):
        props: list[str] = [f"a {_TYPE_OF_KIND[KIND_NAMES[c.kind[i]]]}"]
        by_kind: list[list[str]] = [[] for _ in LABEL_KINDS]
        for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1])):
            lang = c.label_langs[c.label_lang[j]]
            by_kind[int(c.label_kind[j])].append(_literal(c.label_text[j], lang))
        for name, values in zip(_LABEL_PREDICATE_NAMES, by_kind, strict=True):
            if values:
                props.append(f"{name} " + ", ".join(values))
        parents = c.broader_indices[c.broader_indptr[i] : c.broader_indptr[i + 1]]
        if len(parents):
            props.append("skos:broader " + ", ".join(f"<{uris[p]}>" for p in parents))
        if c.skill_type[i]:
            props.append(f"esco:skillType <{SKILL_TYPE_BASE}{SKILL_TYPES[c.skill_type[i]]}>")
        if c.reuse_level[i]:
            props.append(f"esco:skillReuseLevel <{REUSE_BASE}{REUSE_LEVELS[c.reuse_level[i]]}>")
        if c.codes[i]:
            props.append(f"skos:notation {_literal(c.codes[i], '')}")
        if c.explicit_language_codes[i]:
            props.append(f"dcterms:language {_literal(c.explicit_language_codes[i], '')}")
        for indptr, indices, essential in (
            (c.occ_skill_indptr, c.occ_skill_indices, c.occ_skill_essential),
            (c.skill_rel_indptr, c.skill_rel_indices, c.skill_rel_essential),
        ):
            lo, hi = int(indptr[i]), int(indptr[i + 1])
            for flag, predicate in ((True, "esco:relatedEssentialSkill"),
                                    (False, "esco:relatedOptionalSkill")):  # fmt: skip
                targets = [f"<{uris[indices[k]]}>" for k in range(lo, hi) if essential[k] == flag]
                if targets:
                    props.append(f"{predicate} " + ", ".join(targets))
        lines.append(f"<{uri}> " + " ;\n    ".join(props) + " .")
        lines.append("")
    return "\n".join(lines)
