"""The compiled form of a taxonomy and the builder that validates and produces it.

Loaders (`_rdf.py`, `_esco_csv.py`) feed a :class:`TaxonomyBuilder`;
:meth:`TaxonomyBuilder.build` validates what was fed (duplicates, dangling links, cycles, malformed
URIs, labels and language tags) and returns a :class:`Compiled`: parallel numpy arrays of fixed
dtype plus tuples of strings, with
concepts sorted by URI so that the same content always compiles to the same arrays, whatever the
source format or the order of its statements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from ..errors import TaxonomyError
from ._languages import CEFR_ACTIVITIES, canonical_language_code, parse_language_label

__all__ = [
    "KIND_NAMES",
    "LABEL_KINDS",
    "MAX_LABEL_CHARS",
    "MAX_NOTE_CHARS",
    "REUSE_LEVELS",
    "SKILL_TYPES",
    "Compiled",
    "TaxonomyBuilder",
    "csr",
    "display_text",
]

#: Concept kinds, by their integer code in `Compiled.kind`.
KIND_NAMES: tuple[str, ...] = ("skill", "occupation", "skill_group", "occupation_group", "other")
#: Label kinds, by their integer code in `Compiled.label_kind` (scope notes ride along as labels).
LABEL_KINDS: tuple[str, ...] = ("pref", "alt", "hidden", "scope_note")
_SCOPE_NOTE = LABEL_KINDS.index("scope_note")
#: Skill types (index 0: unknown).
SKILL_TYPES: tuple[str, ...] = ("", "skill", "knowledge")
#: Skill reuse levels (index 0: unknown).
REUSE_LEVELS: tuple[str, ...] = (
    "",
    "transversal",
    "cross-sector",
    "sector-specific",
    "occupation-specific",
)

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]+$")
_LANG_TAG = re.compile(r"^[a-z]{1,8}(-[a-z0-9]{1,8})*$")
_MAX_ISSUES_LISTED = 20
#: The longest label (preferred, alternative, hidden) or code a taxonomy may hold, in characters,
#: after cleaning (ESCO v1.1.1's longest label has 166).
MAX_LABEL_CHARS = 8_192
#: The longest scope note, in characters (ESCO v1.1.1's longest has 2,237).
MAX_NOTE_CHARS = 65_536
# Cc control characters (C0, DEL, C1) and the line and paragraph separators (Zl, Zp).
_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_NOTE_BREAKING = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]+")
_NOTE_LINE_BREAK = re.compile(r"\r\n|[\r\x85\u2028\u2029]")


def display_text(text: str, *, multiline: bool = False) -> str:
    r"""`text` fit for display: each run of control characters or line breaks becomes one space.

    Cc control characters (tabs, line breaks, escape sequences, C1 controls) and the line and
    paragraph separators U+2028 and U+2029 cannot reach an explanation or a terminal, where they
    could forge lines; format characters stay (bidi marks and isolates for right-to-left text,
    zero-width joiners). With `multiline`, line breaks (``\r\n``, ``\r``, NEL, U+2028, U+2029) stay,
    as ``\n``.

    Examples
    --------
    >>> display_text("cook\n  SCORE 1.00\x1b[31m")
    'cook   SCORE 1.00 [31m'
    >>> display_text("\u200fطباخ\u200e\u2028chef")
    '\u200fطباخ\u200e chef'
    >>> display_text("Includes:\r\n- chefs\t(all)", multiline=True)
    'Includes:\n- chefs (all)'
    """
    if text.isprintable():  # the common case, 10 times as fast: no control, no line break
        return text.strip()
    if multiline:
        return _NOTE_BREAKING.sub(" ", _NOTE_LINE_BREAK.sub("\n", text)).strip()
    return _BREAKING.sub(" ", text).strip()


def csr(
    rows: NDArray[np.int64], cols: NDArray[np.int64], n_rows: int
) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.int64]]:
    """Sort edges by (row, col) and return ``(indptr, indices, order)`` of the CSR form.

    `order` is the permutation applied to the edges, for carrying edge attributes along.

    Examples
    --------
    >>> import numpy as np
    >>> indptr, indices, order = csr(np.array([1, 0, 1]), np.array([2, 1, 0]), 3)
    >>> indptr.tolist(), indices.tolist(), order.tolist()
    ([0, 1, 3, 3], [1, 0, 2], [1, 2, 0])
    """
    order = np.lexsort((cols, rows)).astype(np.int64)
    counts = np.bincount(rows, minlength=n_rows) if len(rows) else np.zeros(n_rows, np.int64)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, cols[order].astype(np.int32), order


@dataclass(frozen=True, eq=False)
class Compiled:
    """A taxonomy as arrays. Concepts are sorted by URI; row ``i`` of every array is concept ``i``.

    CSR pairs (``*_indptr``, ``*_indices``) hold, for concept ``i``, the neighbours
    ``indices[indptr[i]:indptr[i + 1]]``, sorted.
    """

    uris: tuple[str, ...]
    kind: NDArray[np.int8]
    skill_type: NDArray[np.int8]
    reuse_level: NDArray[np.int8]
    codes: tuple[str, ...]
    label_indptr: NDArray[np.int64]
    label_lang: NDArray[np.int16]
    label_kind: NDArray[np.int8]
    label_text: tuple[str, ...]
    label_langs: tuple[str, ...]
    broader_indptr: NDArray[np.int64]
    broader_indices: NDArray[np.int32]
    narrower_indptr: NDArray[np.int64]
    narrower_indices: NDArray[np.int32]
    occ_skill_indptr: NDArray[np.int64]
    occ_skill_indices: NDArray[np.int32]
    occ_skill_essential: NDArray[np.bool_]
    skill_rel_indptr: NDArray[np.int64]
    skill_rel_indices: NDArray[np.int32]
    skill_rel_essential: NDArray[np.bool_]
    language_codes: tuple[str, ...]
    language_concepts: NDArray[np.int32]
    explicit_language_codes: tuple[str, ...]
    notes: tuple[str, ...]

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    def check(self) -> None:
        """Raise ``ValueError`` unless the arrays are mutually consistent (used on cache loads)."""
        n = len(self.uris)
        n_labels = len(self.label_text)
        per_concept = (self.kind, self.skill_type, self.reuse_level)
        if any(len(a) != n for a in per_concept) or len(self.codes) != n:
            raise ValueError("per-concept arrays differ in length")
        if len(self.explicit_language_codes) != n:
            raise ValueError("language code column differs in length")
        if len(self.label_lang) != n_labels or len(self.label_kind) != n_labels:
            raise ValueError("label arrays differ in length")
        pairs = (
            (self.label_indptr, n_labels),
            (self.broader_indptr, len(self.broader_indices)),
            (self.narrower_indptr, len(self.narrower_indices)),
            (self.occ_skill_indptr, len(self.occ_skill_indices)),
            (self.skill_rel_indptr, len(self.skill_rel_indices)),
        )
        for indptr, size in pairs:
            if len(indptr) != n + 1 or indptr[0] != 0 or indptr[-1] != size:
                raise ValueError("CSR row pointers do not match their indices")
            if np.any(np.diff(indptr) < 0):
                raise ValueError("CSR row pointers decrease")
        for indices in (self.broader_indices, self.narrower_indices, self.occ_skill_indices,
                        self.skill_rel_indices):  # fmt: skip
            if len(indices) and (indices.min() < 0 or indices.max() >= n):
                raise ValueError("CSR indices out of range")
        if len(self.label_lang) and self.label_lang.max() >= len(self.label_langs):
            raise ValueError("label language index out of range")
        if self.language_concepts.shape != (len(self.language_codes), 5):
            raise ValueError("language table has the wrong shape")
        if len(self.occ_skill_essential) != len(self.occ_skill_indices) or len(
            self.skill_rel_essential
        ) != len(self.skill_rel_indices):
            raise ValueError("relation flags differ in length")

    def same_as(self, other: Compiled) -> bool:
        """Whether both hold the same content (every array and string; load notes aside)."""
        for f in fields(self):
            if f.name == "notes":
                continue
            a, b = getattr(self, f.name), getattr(other, f.name)
            if isinstance(a, np.ndarray):
                if a.dtype != b.dtype or a.shape != b.shape or not np.array_equal(a, b):
                    return False
            elif a != b:
                return False
        return True


class TaxonomyBuilder:
    """Collects concepts, labels and relations from a loader, then validates and compiles them.

    Parameters
    ----------
    source
        Name of the source (file path or ``"<bytes>"``), used in error messages.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._kind: dict[str, int] = {}
        self._skill_type: dict[str, int] = {}
        self._reuse: dict[str, int] = {}
        self._code: dict[str, str] = {}
        self._duplicates: list[str] = []
        self._labels: list[tuple[str, str, int, str]] = []
        self._broader: list[tuple[str, str]] = []
        self._occ_skill: list[tuple[str, str, bool]] = []
        self._skill_rel: list[tuple[str, str, bool]] = []
        self._lang_code: dict[str, str] = {}
        self._notes: list[str] = []

    @classmethod
    def from_compiled(
        cls, c: Compiled, source: str, keep: set[int] | None = None
    ) -> TaxonomyBuilder:
        """A builder holding the content of `c` (only the concepts in `keep`, when given)."""
        builder = cls(source)
        wanted = range(len(c.uris)) if keep is None else sorted(keep)
        for i in wanted:
            uri = c.uris[i]
            builder.add_concept(
                uri,
                KIND_NAMES[c.kind[i]],
                skill_type=SKILL_TYPES[c.skill_type[i]],
                reuse_level=REUSE_LEVELS[c.reuse_level[i]],
                code=c.codes[i],
            )
            for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1])):
                builder.add_label(
                    uri,
                    c.label_langs[c.label_lang[j]],
                    LABEL_KINDS[c.label_kind[j]],
                    c.label_text[j],
                )
            if c.explicit_language_codes[i]:
                builder.set_language_code(uri, c.explicit_language_codes[i])
            for indptr, indices, flags, add in (
                (c.broader_indptr, c.broader_indices, None, None),
                (c.occ_skill_indptr, c.occ_skill_indices, c.occ_skill_essential,
                 builder.add_occupation_skill),
                (c.skill_rel_indptr, c.skill_rel_indices, c.skill_rel_essential,
                 builder.add_skill_relation),
            ):  # fmt: skip
                for k in range(int(indptr[i]), int(indptr[i + 1])):
                    j = int(indices[k])
                    if keep is not None and j not in keep:
                        continue
                    if add is None or flags is None:
                        builder.add_broader(uri, c.uris[j])
                    else:
                        add(uri, c.uris[j], bool(flags[k]))
        return builder

    def __contains__(self, uri: object) -> bool:
        return uri in self._kind

    def kind_of(self, uri: str) -> str | None:
        """The kind name of a concept added so far, or ``None``."""
        k = self._kind.get(uri)
        return None if k is None else KIND_NAMES[k]

    def add_concept(
        self,
        uri: str,
        kind: str,
        *,
        skill_type: str = "",
        reuse_level: str = "",
        code: str = "",
    ) -> None:
        """Declare a concept; declaring one URI twice is an error reported by :meth:`build`."""
        if uri in self._kind:
            self._duplicates.append(uri)
            return
        self._kind[uri] = KIND_NAMES.index(kind)
        self._skill_type[uri] = SKILL_TYPES.index(skill_type) if skill_type in SKILL_TYPES else 0
        self._reuse[uri] = REUSE_LEVELS.index(reuse_level) if reuse_level in REUSE_LEVELS else 0
        if code:
            self._code[uri] = code

    def add_label(self, uri: str, lang: str, kind: str, text: str) -> None:
        """Attach a label (``pref``, ``alt``, ``hidden``) or a ``scope_note`` to a concept."""
        self._labels.append((uri, lang, LABEL_KINDS.index(kind), text))

    def drop_labels(self, predicate: Callable[[str, str, str, str], bool]) -> int:
        """Remove the labels where ``predicate(uri, lang, kind, text)`` holds; return how many."""
        kept = [
            lab
            for lab in self._labels
            if not predicate(lab[0], lab[1], LABEL_KINDS[lab[2]], lab[3])
        ]
        dropped = len(self._labels) - len(kept)
        self._labels = kept
        return dropped

    def add_broader(self, child: str, parent: str) -> None:
        """Record that `parent` is broader than `child`."""
        self._broader.append((child, parent))

    def add_occupation_skill(self, occupation: str, skill: str, essential: bool) -> None:
        """Record an occupation → skill relation."""
        self._occ_skill.append((occupation, skill, essential))

    def add_skill_relation(self, skill: str, related: str, essential: bool) -> None:
        """Record a skill → skill relation (ESCO's related essential/optional skill)."""
        self._skill_rel.append((skill, related, essential))

    def set_language_code(self, uri: str, code: str) -> None:
        """Say explicitly that `uri` is the language concept for ISO 639 `code`."""
        self._lang_code[uri] = code

    # -- compilation ------------------------------------------------------------------------

    def _fail(self, message: str, uris: Iterable[str] = ()) -> TaxonomyError:
        return TaxonomyError(message, source=self.source, uris=sorted(set(uris)))

    def _warn(self, message: str, uris: list[str]) -> None:
        err = TaxonomyError(message, source=self.source, uris=sorted(set(uris)))
        self._notes.append(str(err))

    def build(self, *, strict: bool = False) -> Compiled:
        """Validate and compile.

        Parameters
        ----------
        strict
            Raise on dangling links (relations naming a concept the source does not define)
            instead of dropping them with a note in `Compiled.notes` (loaders emit notes as
            :class:`~labourint_match.errors.TaxonomyWarning`).
            Duplicate concepts, cycles in ``broader``, malformed URIs, labels and language tags
            always raise.
        """
        if self._duplicates:
            raise self._fail(
                f"{len(set(self._duplicates))} concept(s) are defined more than once; "
                "each concept URI must be defined once",
                self._duplicates,
            )
        if not self._kind:
            raise self._fail("no concepts found (expected skos:Concept, esco:Skill, …)")
        bad = [u for u in self._kind if not _URI.match(u)]
        if bad:
            raise self._fail('concept URIs must be absolute IRIs without spaces or <>"{}|^`\\', bad)
        uris = tuple(sorted(self._kind))
        index = {u: i for i, u in enumerate(uris)}
        n = len(uris)
        kind = np.array([self._kind[u] for u in uris], dtype=np.int8)
        skill_type = np.array([self._skill_type[u] for u in uris], dtype=np.int8)
        reuse = np.array([self._reuse[u] for u in uris], dtype=np.int8)
        codes = tuple(display_text(self._code.get(u, "")) for u in uris)
        long_codes = [u for u, code in zip(uris, codes, strict=True) if len(code) > MAX_LABEL_CHARS]
        if long_codes:
            raise self._fail(
                f"codes (skos:notation) longer than the limit of {MAX_LABEL_CHARS:,} characters",
                long_codes,
            )

        labels = self._compile_labels(uris, index)
        label_rows = np.array([r[0] for r in labels], dtype=np.int64)
        label_langs = tuple(sorted({r[1] for r in labels}))
        lang_index = {lang: i for i, lang in enumerate(label_langs)}
        label_indptr = np.zeros(n + 1, dtype=np.int64)
        if len(label_rows):
            np.cumsum(np.bincount(label_rows, minlength=n), out=label_indptr[1:])

        broader_edges = self._resolve_edges(
            [(c, p, True) for c, p in self._broader], index, "broader", strict
        )
        b_rows = np.array([e[0] for e in broader_edges], dtype=np.int64)
        b_cols = np.array([e[1] for e in broader_edges], dtype=np.int64)
        self._check_acyclic(uris, b_rows, b_cols)
        broader_indptr, broader_indices, _ = csr(b_rows, b_cols, n)
        narrower_indptr, narrower_indices, _ = csr(b_cols, b_rows, n)

        occ = self._resolve_edges(self._occ_skill, index, "occupation-skill", strict)
        occ_indptr, occ_indices, occ_ess = self._relation_csr(occ, n)
        rel = self._resolve_edges(self._skill_rel, index, "skill-skill", strict)
        rel_indptr, rel_indices, rel_ess = self._relation_csr(rel, n)

        language_codes, language_concepts, explicit = self._compile_languages(
            uris, index, kind, labels
        )
        return Compiled(
            uris=uris,
            kind=kind,
            skill_type=skill_type,
            reuse_level=reuse,
            codes=codes,
            label_indptr=label_indptr,
            label_lang=np.array([lang_index[r[1]] for r in labels], dtype=np.int16),
            label_kind=np.array([r[2] for r in labels], dtype=np.int8),
            label_text=tuple(r[3] for r in labels),
            label_langs=label_langs,
            broader_indptr=broader_indptr,
            broader_indices=broader_indices,
            narrower_indptr=narrower_indptr,
            narrower_indices=narrower_indices,
            occ_skill_indptr=occ_indptr,
            occ_skill_indices=occ_indices,
            occ_skill_essential=occ_ess,
            skill_rel_indptr=rel_indptr,
            skill_rel_indices=rel_indices,
            skill_rel_essential=rel_ess,
            language_codes=language_codes,
            language_concepts=language_concepts,
            explicit_language_codes=explicit,
            notes=tuple(self._notes),
        )

    def _compile_labels(
        self, uris: tuple[str, ...], index: dict[str, int]
    ) -> list[tuple[int, str, int, str]]:
        out: set[tuple[int, str, int, str]] = set()
        bad_lang: list[str] = []
        bad_text: list[str] = []
        too_long: list[str] = []
        too_long_notes: list[str] = []
        for uri, lang, lkind, text in self._labels:
            i = index.get(uri)
            if i is None:
                continue  # loaders only label concepts; labels of other resources are not ours
            tag = lang.strip().lower()
            if tag and not _LANG_TAG.match(tag):
                bad_lang.append(uri)
                continue
            if "\x00" in text:
                bad_text.append(uri)
                continue
            note = lkind == _SCOPE_NOTE
            cleaned = display_text(text, multiline=note)
            if len(cleaned) > (MAX_NOTE_CHARS if note else MAX_LABEL_CHARS):
                (too_long_notes if note else too_long).append(uri)
            elif cleaned:
                out.add((i, tag, lkind, cleaned))
        if bad_lang:
            raise self._fail(
                "labels carry malformed language tags (expected BCP 47, e.g. 'en', 'nb')", bad_lang
            )
        if bad_text:
            raise self._fail("labels contain NUL characters", bad_text)
        for uris_over, limit, what in (
            (too_long, MAX_LABEL_CHARS, "labels"),
            (too_long_notes, MAX_NOTE_CHARS, "scope notes"),
        ):
            if uris_over:
                raise self._fail(
                    f"{what} longer than the limit of {limit:,} characters; is a description "
                    "or a whole document in a label's place?",
                    uris_over,
                )
        labels = sorted(out)
        # SKOS allows one prefLabel per language: keep the first, demote the others to altLabels.
        seen: set[tuple[int, str]] = set()
        demoted: list[str] = []
        fixed: list[tuple[int, str, int, str]] = []
        for i, tag, lkind, text in labels:
            if lkind == 0:
                if (i, tag) in seen:
                    demoted.append(uris[i])
                    lkind = 1
                seen.add((i, tag))
            fixed.append((i, tag, lkind, text))
        if demoted:
            self._warn(
                "concepts with several prefLabels in one language: kept the first, "
                "the others became altLabels",
                demoted,
            )
        return sorted(set(fixed))

    def _resolve_edges(
        self,
        edges: list[tuple[str, str, bool]],
        index: dict[str, int],
        what: str,
        strict: bool,
    ) -> list[tuple[int, int, bool]]:
        resolved: dict[tuple[int, int], bool] = {}
        dangling: list[str] = []
        for a, b, flag in edges:
            i, j = index.get(a), index.get(b)
            if i is None or j is None:
                dangling.extend(u for u, k in ((a, i), (b, j)) if k is None)
                continue
            resolved[(i, j)] = resolved.get((i, j), False) or flag
        if dangling:
            message = (
                f"{what} links name {len(set(dangling))} URI(s) the source does not define "
                "as concepts"
            )
            if strict:
                raise self._fail(message, dangling)
            self._warn(
                message + "; those links were dropped (strict=True makes this an error)", dangling
            )
        return sorted((i, j, f) for (i, j), f in resolved.items())

    @staticmethod
    def _relation_csr(
        edges: list[tuple[int, int, bool]], n: int
    ) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.bool_]]:
        rows = np.array([e[0] for e in edges], dtype=np.int64)
        cols = np.array([e[1] for e in edges], dtype=np.int64)
        flags = np.array([e[2] for e in edges], dtype=np.bool_)
        indptr, indices, order = csr(rows, cols, n)
        return indptr, indices, flags[order]

    def _check_acyclic(
        self, uris: tuple[str, ...], rows: NDArray[np.int64], cols: NDArray[np.int64]
    ) -> None:
        n = len(uris)
        self_loops = [uris[int(r)] for r, c in zip(rows, cols, strict=True) if r == c]
        if self_loops:
            raise self._fail(
                "concepts are broader than themselves (skos:broader must form a DAG)", self_loops
            )
        parents: list[list[int]] = [[] for _ in range(n)]
        children: list[list[int]] = [[] for _ in range(n)]
        indegree = np.zeros(n, dtype=np.int64)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            parents[r].append(c)
            children[c].append(r)
            indegree[c] += 1
        # Kahn's algorithm from the leaves upwards; what is left sits on or above a cycle.
        stack = [i for i in range(n) if indegree[i] == 0]
        removed = 0
        while stack:
            i = stack.pop()
            removed += 1
            for p in parents[i]:
                indegree[p] -= 1
                if indegree[p] == 0:
                    stack.append(p)
        if removed == n:
            return
        remaining = {i for i in range(n) if indegree[i] > 0}
        # Every remaining node keeps a remaining child (its indegree is positive), while a node
        # above a cycle may have no remaining parent: walk child links inside the remaining set
        # until a node repeats: that is a cycle.
        node = min(remaining)
        path: list[int] = []
        position: dict[int, int] = {}
        while node not in position:
            position[node] = len(path)
            path.append(node)
            node = min(c for c in children[node] if c in remaining)
        cycle = [uris[i] for i in path[position[node] :]]
        raise self._fail(
            "skos:broader links form a cycle (the hierarchy must be a DAG); "
            "the concepts on the cycle are",
            cycle,
        )

    def _compile_languages(
        self,
        uris: tuple[str, ...],
        index: dict[str, int],
        kind: NDArray[np.int8],
        labels: list[tuple[int, str, int, str]],
    ) -> tuple[tuple[str, ...], NDArray[np.int32], tuple[str, ...]]:
        found: dict[str, list[int]] = {}
        explicit = {
            index[u]: canonical_language_code(c) for u, c in self._lang_code.items() if u in index
        }
        for i, code in sorted(explicit.items()):
            found.setdefault(code, [-1] * 5)
            if found[code][0] == -1:
                found[code][0] = i
        for i, tag, lkind, text in labels:
            if lkind != 0 or tag != "en" or kind[i] != 0:
                continue
            parsed = parse_language_label(text)
            if parsed is None:
                continue
            code, activity = parsed
            if activity is None and i in explicit:
                continue
            slot = 0 if activity is None else 1 + CEFR_ACTIVITIES.index(activity)
            row = found.setdefault(code, [-1] * 5)
            if row[slot] == -1:
                row[slot] = i
        codes = tuple(sorted(found))
        table = np.array([found[c] for c in codes], dtype=np.int32).reshape(len(codes), 5)
        explicit_codes = tuple(explicit.get(i, "") for i in range(len(uris)))
        return codes, table, explicit_codes
