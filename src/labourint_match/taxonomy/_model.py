"""The :class:`Taxonomy`: a compiled, immutable skill and occupation classification."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import warnings
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NamedTuple

import numpy as np

from .._cachefile import content_digest
from ..errors import ConfigError, TaxonomyError, TaxonomyWarning, UnknownConceptError
from . import _cache
from ._compiled import KIND_NAMES, LABEL_KINDS, REUSE_LEVELS, SKILL_TYPES, Compiled, TaxonomyBuilder
from ._esco_csv import EscoCsvSource, compile_esco_csv, find_relations_beside
from ._languages import canonical_language_code
from ._rdf import compile_rdf, detect_format, read_rdf_file, write_turtle

__all__ = ["Concept", "ConceptKind", "LanguageConcepts", "SkillRelation", "Taxonomy"]

BUNDLED_NAME = "labourint-core.ttl"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://|^file:", re.IGNORECASE)

PathLike = str | os.PathLike[str]


class ConceptKind(str, Enum):
    """What a concept is. ESCO's knowledge and skill/competence concepts are both ``SKILL``."""

    SKILL = "skill"
    OCCUPATION = "occupation"
    SKILL_GROUP = "skill_group"
    OCCUPATION_GROUP = "occupation_group"
    OTHER = "other"


class SkillRelation(NamedTuple):
    """A skill related to an occupation (or to another skill), essential or optional."""

    skill: str
    relation: Literal["essential", "optional"]


class LanguageConcepts(NamedTuple):
    """The concepts of one language: the language itself and its four CEFR activities.

    Any of them may be ``None`` when the taxonomy does not hold it.
    """

    code: str
    language: str | None
    listening: str | None
    reading: str | None
    spoken_interaction: str | None
    writing: str | None


@dataclass(frozen=True)
class Concept:
    """One concept with its labels (by language tag; ``""`` for untagged) and attributes.

    Examples
    --------
    >>> t = Taxonomy.default()
    >>> c = t.concept("http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e")
    >>> c.kind, c.label("en")
    (<ConceptKind.OCCUPATION: 'occupation'>, 'cook')
    """

    uri: str
    kind: ConceptKind
    pref_labels: Mapping[str, str]
    alt_labels: Mapping[str, tuple[str, ...]]
    hidden_labels: Mapping[str, tuple[str, ...]]
    scope_notes: Mapping[str, str]
    skill_type: Literal["skill", "knowledge"] | None
    reuse_level: (
        Literal["transversal", "cross-sector", "sector-specific", "occupation-specific"] | None
    )
    code: str | None

    def label(self, lang: str = "en") -> str:
        """The preferred label in `lang`, else in English, else any, else the URI."""
        for tag in (lang, "en", ""):
            if tag in self.pref_labels:
                return self.pref_labels[tag]
        if self.pref_labels:
            return self.pref_labels[min(self.pref_labels)]
        return self.uri


class Taxonomy:
    """A compiled skill and occupation taxonomy (ESCO or any SKOS classification).

    Build one with :meth:`from_rdf`, :meth:`from_esco_csv` or :meth:`default`. A taxonomy is
    immutable: concepts, labels and relations live in numpy arrays of fixed dtype, sorted by URI,
    so the same content gives the same arrays whatever the source format. Compiled taxonomies are
    cached on disk by the content hash of their source (see :doc:`/taxonomy`).

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> t = Taxonomy.default()
    >>> t.counts()["occupation"] >= 60
    True
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> essential = [r.skill for r in t.occupation_skills(cook) if r.relation == "essential"]
    >>> len(essential) > 0
    True
    """

    def __init__(self, compiled: Compiled, *, source: str) -> None:
        self._c = compiled
        self._source = source
        self._index = {uri: i for i, uri in enumerate(compiled.uris)}

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_rdf(
        cls,
        source: PathLike | bytes,
        format: str | None = None,
        *,
        cache: bool = True,
        strict: bool = False,
    ) -> Taxonomy:
        """Load SKOS / ESCO RDF from a local file or from bytes.

        Parameters
        ----------
        source
            A path to a local file, or the file's content as bytes. URLs are refused: nothing is
            ever fetched over a network.
        format
            ``"turtle"``, ``"xml"`` (RDF/XML), ``"nt"``, ``"json-ld"`` or ``"n3"``; guessed from
            the file extension, then from the content, when omitted.
        cache
            Use the on-disk cache of compiled taxonomies (read and write).
        strict
            Make dangling links an error instead of a
            :class:`~labourint_match.errors.TaxonomyWarning`.

        Raises
        ------
        TaxonomyError
            The source is a URL, missing, empty, malformed, hostile (external entities, remote
            JSON-LD contexts), or holds duplicate concepts or a cycle of ``skos:broader`` links.

        Examples
        --------
        >>> ttl = b'''@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        ... <urn:ex:cooking> a skos:Concept ; skos:prefLabel "cooking"@en .
        ... <urn:ex:baking> a skos:Concept ; skos:prefLabel "baking"@en ;
        ...     skos:broader <urn:ex:cooking> .'''
        >>> t = Taxonomy.from_rdf(ttl, cache=False)
        >>> t.broader("urn:ex:baking")
        ('urn:ex:cooking',)
        """
        name, data = _read_source(source)
        return cls._from_rdf_bytes(name, data, format, cache=cache, strict=strict)

    @classmethod
    def _from_rdf_bytes(
        cls, name: str, data: bytes, fmt: str | None, *, cache: bool, strict: bool
    ) -> Taxonomy:
        if not data.strip():
            raise TaxonomyError("the file is empty", source=name)
        resolved = detect_format(None if name == "<bytes>" else name, data, fmt)
        key = _cache.cache_key("rdf", hashlib.sha256(data).hexdigest(), f"{resolved}|{strict}")
        compiled = _cache.load(key) if cache else None
        if compiled is None:
            compiled = compile_rdf(name, data, resolved, strict=strict)
            if cache:
                _cache.store(key, compiled)
        return cls._emit(compiled, name)

    @classmethod
    def from_esco_csv(
        cls,
        classification: PathLike | Sequence[PathLike],
        relations: PathLike | None = None,
        *,
        cache: bool = True,
        strict: bool = False,
    ) -> Taxonomy:
        """Load the official ESCO CSV export.

        Parameters
        ----------
        classification
            The classification archive (``esco-v1.1.1-classification-en-csv.zip``, or as the ESCO
            portal names it, ``ESCO dataset - v1.1.1 - classification - en - csv.zip``) or its
            extracted folder; or several, one per language, all of one ESCO release, loaded into
            one multilingual taxonomy (the concepts are the same in each; their labels are
            merged).
        relations
            The relations archive (``esco-v1.1.1-relations-csv.zip``; the portal calls it
            ``ESCO dataset - v1.1.1 - classification -  - csv.zip``) or folder. When omitted, the
            relation tables are looked for in `classification` itself and then in the archives
            and folders beside it, recognised by what they hold (``occupationSkillRelations``,
            ``broaderRelationsSkillPillar``, … by file name or by columns), whatever their name.
        cache, strict
            As in :meth:`from_rdf`.

        Raises
        ------
        TaxonomyError
            A path is a URL or missing; an archive is unreadable; a classification source lacks
            its skills or occupations table, or two give the same table of one language; a
            concept is of one kind in one language's tables and of another in another's;
            `relations` holds no relation table; several archives beside the classification
            hold relation tables and none of them carries the classification's release in its
            name; or a table is malformed (the file and line are named).

        Warns
        -----
        TaxonomyWarning
            No relation tables anywhere (the taxonomy then has no hierarchy and no
            occupation-skill relations); dangling links; concepts that some of the merged
            languages do not define (archives of different releases).

        Examples
        --------
        >>> import pathlib
        >>> fixture = pathlib.Path("tests/fixtures/esco_mini")
        >>> if fixture.exists():
        ...     t = Taxonomy.from_esco_csv(fixture, cache=False)
        ...     assert t.counts()["occupation"] >= 1

        Several languages of one release (the relations are found beside them):

        >>> sv = pathlib.Path("tests/fixtures/esco_sv")
        >>> if sv.exists():
        ...     t = Taxonomy.from_esco_csv(
        ...         [sv / "classification_en", sv / "classification_sv"], cache=False
        ...     )
        ...     welder = "http://example.org/esco-sv-fixture/occupation/welder"
        ...     assert (t.label(welder, "en"), t.label(welder, "sv")) == ("welder", "svetsare")
        """
        if isinstance(classification, (str, os.PathLike)):
            paths = [classification]
        elif isinstance(classification, Iterable) and not isinstance(classification, bytes):
            paths = list(classification)
        else:
            raise TaxonomyError(
                "classification must be a path (or a list of paths) to ESCO CSV archives or "
                f"folders, not {type(classification).__name__}"
            )
        if not paths:
            raise TaxonomyError("no classification archive or folder given")
        for p in [*paths, *([] if relations is None else [relations])]:
            if not isinstance(p, (str, os.PathLike)):
                raise TaxonomyError(
                    f"ESCO CSV sources must be paths (str or os.PathLike), not {type(p).__name__}"
                )
            if isinstance(p, str) and _URL.match(p):
                raise TaxonomyError(_URL_REFUSED, source=p[:200])
        found = EscoCsvSource(paths)
        try:
            found.check_classification()
            if relations is None and not found.has_relations():
                relations = find_relations_beside(paths)
            if relations is not None:
                found.close()
                found = EscoCsvSource(paths, [relations])
                if not found.has_relations(str(Path(relations))):
                    raise TaxonomyError(
                        "holds no ESCO relation tables (occupationSkillRelations.csv, "
                        "broaderRelationsSkillPillar.csv, …); pass the relations archive or "
                        "folder as relations=",
                        source=str(relations),
                    )
            name = ", ".join(str(p) for p in paths)
            key = _cache.cache_key("esco-csv", found.digest(), f"{strict}")
            compiled = _cache.load(key) if cache else None
            if compiled is None:
                missing = [
                    (table, effect)
                    for stem, table, effect in (
                        ("broaderrelationsskillpillar", "broaderRelationsSkillPillar",
                         "no skill hierarchy"),
                        ("occupationskillrelations", "occupationSkillRelations",
                         "no occupation-skill relations"),
                    )
                    if not found.find(stem)
                ]  # fmt: skip
                if missing:
                    where = "in it or beside it" if relations is None else "in it or in relations="
                    warnings.warn(
                        f"{name}: no ESCO {' or '.join(t for t, _ in missing)} table found "
                        f"{where}; the taxonomy has {' and '.join(e for _, e in missing)} "
                        "(pass the relations archive as relations=)",
                        TaxonomyWarning,
                        stacklevel=2,
                    )
                compiled = compile_esco_csv(found, name).build(strict=strict)
                if cache:
                    _cache.store(key, compiled)
        finally:
            found.close()
        return cls._emit(compiled, name)

    @classmethod
    def default(cls, *, cache: bool = True) -> Taxonomy:
        """The bundled taxonomy ``labourint-core``: a multilingual subset of ESCO v1.1.1.

        It holds the occupations where newcomers are most often placed, their essential and a share
        of their optional skills with the skill hierarchy above them, transversal skills and the
        language concepts, labelled in English, Swedish, Norwegian Bokmål, German, French, Italian,
        Arabic and Ukrainian. See ``taxonomies/README.md`` for its provenance.

        Examples
        --------
        >>> t = Taxonomy.default()
        >>> sorted({"en", "sv", "nb", "de", "fr", "it", "ar", "uk"} - set(t.label_languages))
        []
        """
        return _default(cache)

    @classmethod
    def _emit(cls, compiled: Compiled, name: str) -> Taxonomy:
        for note in compiled.notes:
            warnings.warn(note, TaxonomyWarning, stacklevel=3)
        return cls(compiled, source=name)

    # -- basic protocol -------------------------------------------------------------------------

    @property
    def source(self) -> str:
        """Where the taxonomy was loaded from (a path, several, or ``"<bytes>"``)."""
        return self._source

    @functools.cached_property
    def content_hash(self) -> str:
        """SHA-256 of the compiled content: equal for equal taxonomies, whatever their source."""
        return content_digest(self._c, exclude=("notes",))

    @property
    def uris(self) -> tuple[str, ...]:
        """All concept URIs, sorted."""
        return self._c.uris

    @property
    def compiled(self) -> Compiled:
        """The compiled arrays (read-only), for encoders and kernels."""
        return self._c

    @property
    def label_languages(self) -> tuple[str, ...]:
        """The language tags that labels carry (``""`` for untagged labels), sorted."""
        return self._c.label_langs

    def __len__(self) -> int:
        return len(self._c.uris)

    def __contains__(self, uri: object) -> bool:
        return uri in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._c.uris)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Taxonomy):
            return NotImplemented
        return self._c.same_as(other._c)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts().items() if v)
        return f"<Taxonomy {self._source!r}: {counts}>"

    def __getstate__(self) -> dict[str, object]:
        return {"compiled": self._c, "source": self._source}

    def __setstate__(self, state: dict[str, object]) -> None:
        compiled = state["compiled"]
        source = state["source"]
        if not isinstance(compiled, Compiled) or not isinstance(source, str):
            raise TypeError("not a pickled Taxonomy")
        self.__init__(compiled, source=source)  # type: ignore[misc]

    # -- queries --------------------------------------------------------------------------------

    def index(self, uri: str) -> int:
        """Row of `uri` in the compiled arrays.

        Raises
        ------
        UnknownConceptError
            The taxonomy holds no concept with this URI.
        """
        try:
            return self._index[uri]
        except (KeyError, TypeError):
            raise UnknownConceptError(str(uri)[:300]) from None

    def kind(self, uri: str) -> ConceptKind:
        """The kind of a concept."""
        return ConceptKind(KIND_NAMES[self._c.kind[self.index(uri)]])

    def concept(self, uri: str) -> Concept:
        """Everything the taxonomy holds about one concept.

        Raises
        ------
        UnknownConceptError
            The taxonomy holds no concept with this URI.
        """
        i = self.index(uri)
        c = self._c
        pref: dict[str, str] = {}
        alt: dict[str, list[str]] = {}
        hidden: dict[str, list[str]] = {}
        notes: dict[str, str] = {}
        for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1])):
            lang = c.label_langs[c.label_lang[j]]
            text = c.label_text[j]
            kind = LABEL_KINDS[c.label_kind[j]]
            if kind == "pref":
                pref[lang] = text
            elif kind == "alt":
                alt.setdefault(lang, []).append(text)
            elif kind == "hidden":
                hidden.setdefault(lang, []).append(text)
            else:
                notes.setdefault(lang, text)
        skill_type = SKILL_TYPES[c.skill_type[i]] or None
        reuse = REUSE_LEVELS[c.reuse_level[i]] or None
        return Concept(
            uri=uri,
            kind=ConceptKind(KIND_NAMES[c.kind[i]]),
            pref_labels=MappingProxyType(pref),
            alt_labels=MappingProxyType({k: tuple(v) for k, v in alt.items()}),
            hidden_labels=MappingProxyType({k: tuple(v) for k, v in hidden.items()}),
            scope_notes=MappingProxyType(notes),
            skill_type=skill_type,
            reuse_level=reuse,
            code=c.codes[i] or None,
        )

    def label(self, uri: str, lang: str = "en") -> str:
        """The preferred label of `uri` in `lang` (falling back as :meth:`Concept.label` does)."""
        return self.concept(uri).label(lang)

    def _row(self, indptr: np.ndarray, indices: np.ndarray, uri: str) -> tuple[str, ...]:
        i = self.index(uri)
        return tuple(self._c.uris[j] for j in indices[indptr[i] : indptr[i + 1]])

    def broader(self, uri: str) -> tuple[str, ...]:
        """The direct parents of `uri` (several where the hierarchy is a DAG), sorted."""
        return self._row(self._c.broader_indptr, self._c.broader_indices, uri)

    def narrower(self, uri: str) -> tuple[str, ...]:
        """The direct children of `uri`, sorted."""
        return self._row(self._c.narrower_indptr, self._c.narrower_indices, uri)

    def ancestors(self, uri: str) -> tuple[str, ...]:
        """Every concept above `uri`, nearest first (breadth-first; ties in URI order).

        Examples
        --------
        >>> t = Taxonomy.default()
        >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
        >>> t.ancestors(cook)[-1]  # ISCO major group 5
        'http://data.europa.eu/esco/isco/C5'
        """
        c = self._c
        start = self.index(uri)
        seen = {start}
        order: list[int] = []
        queue = deque([start])
        while queue:
            i = queue.popleft()
            for j in c.broader_indices[c.broader_indptr[i] : c.broader_indptr[i + 1]].tolist():
                if j not in seen:
                    seen.add(j)
                    order.append(j)
                    queue.append(j)
        return tuple(c.uris[j] for j in order)

    def _relations(self, indptr: np.ndarray, indices: np.ndarray, flags: np.ndarray,
                   uri: str) -> tuple[SkillRelation, ...]:  # fmt: skip
        i = self.index(uri)
        lo, hi = int(indptr[i]), int(indptr[i + 1])
        return tuple(
            SkillRelation(self._c.uris[indices[k]], "essential" if flags[k] else "optional")
            for k in range(lo, hi)
        )

    def occupation_skills(self, uri: str) -> tuple[SkillRelation, ...]:
        """The skills of an occupation, each ``essential`` or ``optional``, in URI order."""
        c = self._c
        return self._relations(c.occ_skill_indptr, c.occ_skill_indices, c.occ_skill_essential, uri)

    def related_skills(self, uri: str) -> tuple[SkillRelation, ...]:
        """ESCO's skill → skill relations of `uri` (related essential / optional skills)."""
        c = self._c
        return self._relations(c.skill_rel_indptr, c.skill_rel_indices, c.skill_rel_essential, uri)

    def concepts(self, kind: ConceptKind | str | None = None) -> tuple[str, ...]:
        """URIs of every concept, or of every concept of one kind, sorted.

        Raises
        ------
        ConfigError
            `kind` is not a concept kind.
        """
        if kind is None:
            return self._c.uris
        try:
            code = KIND_NAMES.index(ConceptKind(kind).value)
        except ValueError:
            raise ConfigError(
                f"unknown concept kind {kind!r}; use one of {', '.join(KIND_NAMES)}"
            ) from None
        return tuple(self._c.uris[i] for i in np.flatnonzero(self._c.kind == code))

    @property
    def languages(self) -> Mapping[str, LanguageConcepts]:
        """Language concepts by ISO 639 code (``no`` for Norwegian; see :meth:`language`)."""
        uris = self._c.uris
        out = {}
        for code, row in zip(
            self._c.language_codes, self._c.language_concepts.tolist(), strict=True
        ):
            named = [uris[i] if i >= 0 else None for i in row]
            out[code] = LanguageConcepts(code, *named)
        return MappingProxyType(out)

    def language(self, code: str) -> LanguageConcepts:
        """The concepts of one language by ISO 639 code (``nb``/``nn`` find ``no``).

        Raises
        ------
        UnknownConceptError
            The taxonomy holds no concept for this language.
        ConfigError
            `code` is not a string.
        """
        if not isinstance(code, str):
            raise ConfigError(f"a language code must be a str, not {type(code).__name__}")
        found = self.languages.get(canonical_language_code(code))
        if found is None:
            raise UnknownConceptError(f"language:{code[:20]}")
        return found

    def counts(self) -> dict[str, int]:
        """Number of concepts per kind (``skill`` counts knowledge and skill/competence alike).

        Examples
        --------
        >>> sorted(Taxonomy.default().counts())
        ['occupation', 'occupation_group', 'other', 'skill', 'skill_group']
        """
        tally = np.bincount(self._c.kind, minlength=len(KIND_NAMES))
        return {name: int(tally[i]) for i, name in enumerate(KIND_NAMES)}

    # -- export and derivation ------------------------------------------------------------------

    def to_rdf(self, path: PathLike | None = None, *, header: str = "") -> str | None:
        """Write the taxonomy as Turtle (SKOS + ESCO model) that :meth:`from_rdf` reads back.

        Parameters
        ----------
        path
            Where to write; when ``None`` the Turtle text is returned instead.
        header
            Text written as comment lines at the top (provenance, licence).

        Examples
        --------
        >>> t = Taxonomy.default()
        >>> Taxonomy.from_rdf(t.to_rdf().encode(), format="turtle", cache=False) == t
        True
        """
        text = write_turtle(self._c, header)
        if path is None:
            return text
        if not isinstance(path, (str, os.PathLike)):
            raise ConfigError(f"path must be a str, os.PathLike or None, not {type(path).__name__}")
        try:
            Path(path).write_text(text, encoding="utf-8")
        except (OSError, ValueError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise TaxonomyError(f"cannot write the Turtle file ({why})", source=str(path)) from None
        return None

    def subset(self, uris: Iterable[str], *, with_ancestors: bool = True) -> Taxonomy:
        """A taxonomy restricted to `uris` (and everything above them).

        Relations among the kept concepts are kept; labels and attributes too.

        Examples
        --------
        >>> t = Taxonomy.default()
        >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
        >>> small = t.subset([cook])
        >>> set(small.uris) == {cook, *t.ancestors(cook)}
        True
        """
        if isinstance(uris, (str, bytes)):
            raise ConfigError("uris must be a list of concept URIs, not a single string")
        keep = {self.index(u) for u in uris}
        if with_ancestors:
            keep |= {self._index[a] for i in list(keep) for a in self.ancestors(self._c.uris[i])}
        builder = TaxonomyBuilder.from_compiled(self._c, self._source, keep)
        return Taxonomy(builder.build(), source=f"subset of {self._source}")

    def with_labels(
        self,
        labels: Iterable[tuple[str, str, str] | tuple[str, str, str, str]],
    ) -> Taxonomy:
        """A taxonomy with extra labels, such as the local synonyms an employment service uses.

        ``(uri, lang, text)`` adds an altLabel; ``(uri, lang, text, kind)`` adds a ``pref``,
        ``alt`` or ``hidden`` label.

        A new preferred label replaces the existing one in that language, which becomes an
        altLabel.

        Examples
        --------
        >>> t = Taxonomy.default()
        >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
        >>> t2 = t.with_labels([(cook, "sv", "kallskänka")])
        >>> "kallskänka" in t2.concept(cook).alt_labels["sv"]
        True
        """
        if isinstance(labels, (str, bytes)) or not isinstance(labels, Iterable):
            raise ConfigError(
                f"labels must be a list of (uri, lang, text[, kind]) tuples, not "
                f"{type(labels).__name__}"
            )
        builder = TaxonomyBuilder.from_compiled(self._c, self._source)
        extra_pref: set[tuple[str, str]] = set()
        for position, item in enumerate(labels):
            if (
                not isinstance(item, (tuple, list))
                or len(item) not in (3, 4)
                or not all(isinstance(part, str) for part in item)
            ):
                raise ConfigError(
                    f"label at position {position} must be a (uri, lang, text) or "
                    "(uri, lang, text, kind) tuple of strings"
                )
            uri, lang, text = item[0], item[1], item[2]
            kind = item[3] if len(item) == 4 else "alt"
            self.index(uri)
            if kind not in ("pref", "alt", "hidden"):
                raise TaxonomyError(
                    f"label kind must be 'pref', 'alt' or 'hidden', not {kind!r}", uris=[uri]
                )
            if kind == "pref":
                extra_pref.add((uri, lang.lower()))
            builder.add_label(uri, lang, kind, text)
        if extra_pref:
            builder = _demote_old_pref(self._c, builder, extra_pref)
        return Taxonomy(builder.build(), source=self._source)


_URL_REFUSED = (
    "URL sources are refused: nothing is fetched over a network. Download the file "
    "and pass its local path (or its bytes)"
)


def _read_source(source: PathLike | bytes) -> tuple[str, bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>", bytes(source)
    if not isinstance(source, (str, os.PathLike)):
        raise TaxonomyError(f"source must be a path or bytes, not {type(source).__name__}")
    text = os.fspath(source)
    if _URL.match(text):
        raise TaxonomyError(_URL_REFUSED, source=text[:200])
    path = Path(text)
    if len(text) > 4096 or not path.is_file():
        shown = text[:200]
        hint = (
            " (to load RDF held in memory, pass it as bytes)" if "\n" in text or "<" in text else ""
        )
        raise TaxonomyError(f"no such file{hint}", source=shown)
    return str(path), read_rdf_file(path)  # bounded by MAX_RDF_BYTES before it is read


def _demote_old_pref(
    c: Compiled, builder: TaxonomyBuilder, replaced: set[tuple[str, str]]
) -> TaxonomyBuilder:
    # Rebuild with the old preferred labels of the replaced (uri, lang) pairs turned into altLabels.
    fresh = TaxonomyBuilder(builder.source)
    fresh.__dict__.update({k: (list(v) if isinstance(v, list) else v)
                           for k, v in builder.__dict__.items()})  # fmt: skip
    old = {
        (c.uris[i], c.label_langs[c.label_lang[j]], c.label_text[j])
        for i in range(len(c.uris))
        for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1]))
        if c.label_kind[j] == 0 and (c.uris[i], c.label_langs[c.label_lang[j]]) in replaced
    }
    fresh._labels = [
        (u, lang, 1 if (u, lang, text) in old and k == 0 else k, text)
        for u, lang, k, text in builder._labels
    ]
    return fresh


def _bundled_bytes() -> tuple[str, bytes]:
    packaged = resources.files("labourint_match").joinpath("_data").joinpath(BUNDLED_NAME)
    if packaged.is_file():
        return f"labourint_match/_data/{BUNDLED_NAME}", packaged.read_bytes()
    checkout = Path(__file__).resolve().parents[3] / "taxonomies" / BUNDLED_NAME
    if checkout.is_file():
        return str(checkout), checkout.read_bytes()
    raise TaxonomyError(
        "the bundled taxonomy is missing from this installation; reinstall labourint-match",
        source=BUNDLED_NAME,
    )


@functools.lru_cache(maxsize=2)
def _default(cache: bool) -> Taxonomy:
    name, data = _bundled_bytes()
    return Taxonomy._from_rdf_bytes(name, data, "turtle", cache=cache, strict=True)
