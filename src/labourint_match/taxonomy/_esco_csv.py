"""The official ESCO CSV export (classification and relations), as zip archives or folders.

Traps handled here (see the ESCO README shipped with the data): multi-valued cells (``altLabels``,
``hiddenLabels``) hold one label per line inside a quoted field; relation files of the
language-independent archive carry no ``_en`` suffix while those of v1.2 do; a few skills have an
empty ``skillType`` or ``reuseLevel``; a classification may come in several languages, each its own
archive, whose concepts are the same and whose labels are merged; the ESCO portal names its
relations archive ``ESCO dataset - v1.1.0 - classification -  - csv.zip`` (nothing in it says
"relations"), so relation tables are recognised by their columns as well as by their file names,
and the relations are looked for beside the classification by what the archives hold.

Every read is bounded before it allocates (the limits below, measured against ESCO v1.1.1 in
English with its relations: its largest table, ``occupationSkillRelations.csv``, holds 21,137,561
bytes and 123,857 lines; the eight tables a load reads hold 39,991,529; its longest line has 2,509
characters and its longest record 4,659): a table's decompressed size is checked from the archive's
directory (or the file's size) before it is opened, and lines are read one by one with a bound.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import TaxonomyError
from ._compiled import TaxonomyBuilder

__all__ = ["EscoCsvSource", "compile_esco_csv", "find_relations_beside"]

_CONCEPT_FILES = (
    ("skills", "skill"),
    ("skillgroups", "skill_group"),
    ("occupations", "occupation"),
    ("iscogroups", "occupation_group"),
)
_CONCEPT_STEMS = frozenset(stem for stem, _ in _CONCEPT_FILES)
#: The tables without which a classification is not one: (stem, how a file of it is named).
_CORE_TABLES = (("skills", "skills_{lang}.csv"), ("occupations", "occupations_{lang}.csv"))
_RELATION_FILES = (
    "broaderrelationsskillpillar",
    "broaderrelationsoccpillar",
    "occupationskillrelations",
    "skillskillrelations",
)
_NAME = re.compile(r"^(?P<stem>[A-Za-z]+?)(?:_(?P<lang>[a-z]{2,3}(?:-[a-z0-9]+)?))?\.csv$")
_SKILL_TYPES = {"skill/competence": "skill", "knowledge": "knowledge", "": ""}
_REUSE = {"transversal", "cross-sector", "sector-specific", "occupation-specific", ""}
_KIND_WORDS = {
    "skill": "a skill",
    "skill_group": "a skill group",
    "occupation": "an occupation",
    "occupation_group": "an occupation group",
}
#: How much of a CSV file is read to tell a relation table by its header and first row.
_PROBE_BYTES = 64 * 1024
#: At most this many CSV files of one archive or folder beside the classification are looked into.
_MAX_PROBED = 256
_OCCUPATION_TYPES = frozenset({"Occupation", "ISCOGroup"})
_VERSION = re.compile(r"v\d+(?:\.\d+)+", re.IGNORECASE)

#: The most bytes one table may hold (decompressed); ESCO's largest holds 21,137,561.
MAX_TABLE_BYTES = 256 * 1024 * 1024
#: The most bytes the tables of one load may hold together (decompressed); ESCO v1.1.1's eight
#: tables in English hold 39,991,529, all 28 languages with the relations about 410,000,000.
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
#: The most lines (blank ones included) one table may have; ESCO's largest has 123,857.
MAX_LINES = 4_000_000
#: The longest line, in characters; ESCO's longest has 2,509.
MAX_LINE_CHARS = 1024 * 1024
#: The longest record (a row, over the lines of its quoted multi-line cells); ESCO's has 4,659.
MAX_RECORD_CHARS = 4 * 1024 * 1024

csv.field_size_limit(16 * 1024 * 1024)  # above MAX_RECORD_CHARS, which fires first


@dataclass(frozen=True)
class _Member:
    container: str
    name: str
    stem: str
    lang: str
    size: int  # decompressed, as the archive's directory or the file system says


class _Count:
    """Characters read of one table, and where the record being read began."""

    __slots__ = ("chars", "record_start")

    def __init__(self) -> None:
        self.chars = 0
        self.record_start = 0


def _relation_table_of_header(head: bytes) -> str | None:
    """The relation table whose columns the start of a CSV file has, or ``None``.

    ``broaderRelationsSkillPillar`` and ``broaderRelationsOccPillar`` share their columns; the
    first row's ``conceptType`` / ``broaderType`` tells them apart.
    """
    text = head.decode("utf-8-sig", errors="replace")
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [c.strip() for c in next(reader, [])]
        columns = set(header)
        if {"occupationUri", "relationType", "skillUri"} <= columns:
            return "occupationskillrelations"
        if {"originalSkillUri", "relationType", "relatedSkillUri"} <= columns:
            return "skillskillrelations"
        if {"conceptUri", "broaderUri"} <= columns:
            first = dict(zip(header, next(reader, []), strict=False))
            types = {first.get("conceptType", "").strip(), first.get("broaderType", "").strip()}
            if types & _OCCUPATION_TYPES:
                return "broaderrelationsoccpillar"
            return "broaderrelationsskillpillar"
    except csv.Error:
        return None
    return None


def _table_of(name: str, opener: Callable[[], IO[bytes]]) -> tuple[str, str] | None:
    """``(stem, lang)`` of a CSV file: from its name when ESCO's, else from its columns."""
    match = _NAME.match(Path(name).name)
    if match is not None:
        stem = match.group("stem").lower()
        lang = match.group("lang") or ""
        if stem in _CONCEPT_STEMS or stem in _RELATION_FILES:
            return stem, lang
    if not name.lower().endswith(".csv"):
        return None
    try:
        with opener() as fh:
            head = fh.read(_PROBE_BYTES)
    except (OSError, RuntimeError, zipfile.BadZipFile, EOFError):
        # an unreadable, encrypted or broken file is simply not a relation table
        head = b""
    table = _relation_table_of_header(head)
    lang = (match.group("lang") or "") if match is not None else ""
    if table is not None:
        return table, lang
    if match is not None:
        # another ESCO table (collections, conceptSchemes, skillsHierarchy): listed, never read
        return match.group("stem").lower(), lang
    return None


class EscoCsvSource:
    """The CSV files of one or more ESCO archives or folders, found by their names or columns.

    Concept tables (``skills_<lang>.csv``, ``occupations_<lang>.csv``, ``skillGroups_<lang>.csv``,
    ``ISCOGroups_<lang>.csv``) are found by name; relation tables by name or, when a file is named
    otherwise, by its columns.

    Parameters
    ----------
    paths
        Classification zip archives or extracted folders, in order; the first file found for
        each relation table wins, and concept tables in different languages are all read.
    relations
        Archives or folders read for their relation tables only.
    """

    def __init__(
        self,
        paths: Sequence[str | os.PathLike[str]],
        relations: Sequence[str | os.PathLike[str]] = (),
    ) -> None:
        self.members: list[_Member] = []
        self.classification: tuple[str, ...] = tuple(str(Path(p)) for p in paths)
        self._zips: dict[str, zipfile.ZipFile] = {}
        self._probed: dict[str, int] = {}
        self._read = 0  # characters read by rows(), all tables together
        for raw, concepts in [*((p, True) for p in paths), *((p, False) for p in relations)]:
            path = Path(raw)
            try:
                found = path.exists()
            except OSError as exc:  # a name too long, say
                raise TaxonomyError(
                    f"cannot read this path ({exc.strerror})", source=str(path)[:200]
                ) from None
            if not found:
                raise TaxonomyError(
                    "no such file or folder; pass the ESCO CSV zip archive or its extracted folder",
                    source=str(path),
                )
            if path.is_dir():
                for child in sorted(path.rglob("*.csv")):
                    try:
                        size = child.stat().st_size if child.is_file() else -1
                    except OSError:
                        size = -1
                    if size >= 0:  # a device, a FIFO or a dangling link is no table
                        self._add(str(path), str(child.relative_to(path)), concepts, size)
            elif str(path) in self._zips:  # the same archive given twice
                for info in sorted(self._zips[str(path)].infolist(), key=lambda i: i.filename):
                    if not info.is_dir():
                        self._add(str(path), info.filename, concepts, info.file_size)
            else:
                try:
                    archive = zipfile.ZipFile(path)
                except (zipfile.BadZipFile, OSError) as exc:
                    raise TaxonomyError(
                        f"not a readable zip archive ({exc}); pass the ESCO CSV zip or its folder",
                        source=str(path),
                    ) from None
                self._zips[str(path)] = archive
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    if not info.is_dir():
                        self._add(str(path), info.filename, concepts, info.file_size)

    def _add(self, container: str, name: str, concepts: bool, size: int) -> None:
        def opener() -> IO[bytes]:
            # at most _MAX_PROBED files of one container are opened to be told by their columns
            probed = self._probed.get(container, 0)
            if probed >= _MAX_PROBED:
                raise OSError("enough files of this archive or folder were looked into")
            self._probed[container] = probed + 1
            if container in self._zips:
                return self._zips[container].open(name)
            return open(Path(container) / name, "rb")

        table = _table_of(name, opener)
        if table is None:
            return
        stem, lang = table
        if stem in _CONCEPT_STEMS and not concepts:
            return  # a relations source lends its relation tables only
        self.members.append(_Member(container, name, stem, lang, size))

    def find(self, stem: str) -> list[_Member]:
        """Members whose table (file name without language suffix) is `stem`, case-insensitively."""
        return [m for m in self.members if m.stem == stem]

    def has_relations(self, container: str | None = None) -> bool:
        """Whether any relation table was found (in `container` only, when given)."""
        return any(
            m.stem in _RELATION_FILES and (container is None or m.container == container)
            for m in self.members
        )

    def check_classification(self) -> None:
        """Refuse a classification source that lacks a core table or repeats one.

        Every classification archive or folder must hold, for each language it holds, the
        skills and the occupations table; and one concept table of one language must not come
        from two places (two archives of the same language).

        Raises
        ------
        TaxonomyError
            Naming the archive or folder and the missing table, or both places of a repeated
            one.
        """
        seen: dict[tuple[str, str], _Member] = {}
        for container in self.classification:
            tables: dict[str, set[str]] = {}
            for m in self.members:
                if m.container != container or m.stem not in _CONCEPT_STEMS:
                    continue
                tables.setdefault(m.lang or "en", set()).add(m.stem)
                key = (m.stem, m.lang or "en")
                if key in seen:
                    raise TaxonomyError(
                        f"{Path(m.name).name} is given twice, here and in {self.where(seen[key])}; "
                        "pass one classification archive (or folder) per language, all of one "
                        "ESCO release",
                        source=self.where(m),
                    )
                seen[key] = m
            if not tables:
                if self.has_relations(container):
                    raise TaxonomyError(
                        "holds ESCO relation tables but no classification tables (skills_<lang>"
                        ".csv, occupations_<lang>.csv, …); pass the classification archive "
                        "first and this one as relations=",
                        source=container,
                    )
                raise TaxonomyError(
                    "no ESCO classification tables found (skills_<lang>.csv, "
                    "occupations_<lang>.csv, …); pass the classification archive or folder",
                    source=container,
                )
            for lang, stems in sorted(tables.items()):
                missing = [
                    pattern.format(lang=lang) for stem, pattern in _CORE_TABLES if stem not in stems
                ]
                if missing:
                    raise TaxonomyError(
                        f"the classification has no {' and no '.join(missing)}, a core table of "
                        "ESCO's export (it holds the concepts and their labels); pass the "
                        "complete classification archive or folder of this language",
                        source=container,
                    )

    def used_members(self) -> list[_Member]:
        """The members that compiling reads, in a stable order."""
        used = [m for stem, _ in _CONCEPT_FILES for m in self.find(stem)]
        for stem in _RELATION_FILES:
            found = self.find(stem)
            used.extend(found[:1])
        return used

    def check_sizes(self) -> None:
        """Refuse tables larger than :data:`MAX_TABLE_BYTES`, or more than :data:`MAX_TOTAL_BYTES`.

        The sizes are those the zip archive's directory declares (what reading will ever
        decompress) or the files' sizes, so nothing is read.

        Raises
        ------
        TaxonomyError
            Naming the table, or the first classification source, and the limit.
        """
        total = 0
        for m in self.used_members():
            self._check_size(m)
            total += m.size
        if total > MAX_TOTAL_BYTES:
            raise TaxonomyError(
                f"the tables to read hold {total:,} bytes (decompressed) together, over the limit "
                f"of {MAX_TOTAL_BYTES:,} bytes for one load; pass fewer archives",
                source=", ".join(self.classification) or None,
            )

    def _check_size(self, m: _Member) -> None:
        if m.size > MAX_TABLE_BYTES:
            raise TaxonomyError(
                f"the table holds {m.size:,} bytes (decompressed), over the limit of "
                f"{MAX_TABLE_BYTES:,} bytes per table; is this an ESCO CSV export?",
                source=self.where(m),
            )

    def digest(self) -> str:
        """SHA-256 over what compiling reads: whole zip archives, or the CSV files of folders.

        The sizes are checked first (:meth:`check_sizes`); a file that grows past its limit while
        it is read is refused.
        """
        self.check_sizes()
        h = hashlib.sha256()
        hashed_zips: set[str] = set()
        for m in self.used_members():
            if m.container in self._zips:
                if m.container in hashed_zips:
                    continue
                hashed_zips.add(m.container)
                opener: IO[bytes] = open(m.container, "rb")  # noqa: SIM115 - closed below
                h.update(f"zip:{Path(m.container).name}\n".encode())
            else:
                opener = self._open_binary(m)
                h.update(f"csv:{m.name}\n".encode())
            with opener as fh:
                read = 0
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    read += len(chunk)
                    if m.container not in self._zips and read > MAX_TABLE_BYTES:
                        raise TaxonomyError(
                            f"the file grew past the limit of {MAX_TABLE_BYTES:,} bytes per table "
                            "while it was read",
                            source=self.where(m),
                        )
                    h.update(chunk)
        return h.hexdigest()

    def _open_binary(self, m: _Member) -> IO[bytes]:
        if m.container in self._zips:
            return self._zips[m.container].open(m.name)
        return open(Path(m.container) / m.name, "rb")

    def _lines(self, text: IO[str], where: str, count: _Count) -> Iterator[str]:
        """The lines of `text`, each read with a bound, counted against every limit."""
        readline = text.readline
        max_line, max_lines, max_record = MAX_LINE_CHARS, MAX_LINES, MAX_RECORD_CHARS
        room = min(MAX_TABLE_BYTES, MAX_TOTAL_BYTES - self._read)
        lines = chars = 0
        try:
            while True:
                line = readline(max_line + 2)
                if not line:
                    return
                lines += 1
                chars += len(line)
                if (
                    len(line) > max_line
                    or lines > max_lines
                    or chars - count.record_start > max_record
                    or chars > room
                ):
                    self._over_limit(line, lines, chars - count.record_start, chars > room, where)
                count.chars = chars
                yield line
        finally:
            self._read += chars

    @staticmethod
    def _over_limit(line: str, lines: int, record: int, past_room: bool, where: str) -> None:
        """Raise for the limit that `line` (line number `lines`) goes past, if any."""
        ending = 2 if line.endswith("\r\n") else 1 if line[-1] in "\r\n" else 0
        if len(line) - ending > MAX_LINE_CHARS:
            message = (
                f"a line longer than the limit of {MAX_LINE_CHARS:,} characters; "
                "is this an ESCO CSV export?"
            )
        elif lines > MAX_LINES:
            message = (
                f"more lines (blank ones included) than the limit of {MAX_LINES:,} per "
                "table; is this an ESCO CSV export?"
            )
        elif record > MAX_RECORD_CHARS:
            message = (
                f"a record longer than the limit of {MAX_RECORD_CHARS:,} characters over its "
                "lines; is a quote left open above this line?"
            )
        elif past_room:
            message = (
                f"the tables grew past the limit of {MAX_TABLE_BYTES:,} bytes per table or "
                f"{MAX_TOTAL_BYTES:,} for one load while they were read"
            )
        else:
            return  # a line of the limit's length with its line ending
        raise TaxonomyError(message, source=where, line=lines)

    def rows(self, m: _Member, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(line, row)`` with the `required` columns (and any others present).

        Lines are read one at a time with a bound (:data:`MAX_LINE_CHARS`, :data:`MAX_LINES`,
        :data:`MAX_RECORD_CHARS`); the table's size was checked before by :meth:`check_sizes`.
        """
        where = self.where(m)
        self._check_size(m)
        count = _Count()
        with self._open_binary(m) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            # strict: an unterminated quote is an error, not a field that swallows the rows after it
            reader = csv.reader(self._lines(text, where, count), strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise TaxonomyError("empty CSV file", source=where) from None
            except (csv.Error, UnicodeDecodeError) as exc:
                raise TaxonomyError(f"not a readable CSV file ({exc})", source=where) from None
            count.record_start = count.chars
            missing = [c for c in required if c not in header]
            if missing:
                raise TaxonomyError(
                    f"missing column(s) {', '.join(missing)}; is this an ESCO CSV export?",
                    source=where,
                )
            try:
                for row in reader:
                    count.record_start = count.chars
                    if not row:
                        continue
                    record = dict(zip(header, row, strict=False))
                    if len(row) < len(header) and any(c not in record for c in required):
                        short = [c for c in required if c not in record]
                        raise TaxonomyError(
                            f"the row has {len(row)} field(s) where the header has "
                            f"{len(header)}: no value for {', '.join(short)}",
                            source=where,
                            line=reader.line_num,
                        )
                    yield reader.line_num, record
            except (csv.Error, UnicodeDecodeError) as exc:
                raise TaxonomyError(
                    f"malformed CSV ({exc})", source=where, line=reader.line_num
                ) from None

    def where(self, m: _Member) -> str:
        """A readable location of `m` for messages."""
        if m.container in self._zips:
            return f"{m.container}!{m.name}"
        return str(Path(m.container) / m.name)

    def close(self) -> None:
        """Close the zip archives."""
        for archive in self._zips.values():
            archive.close()


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    def open_binary() -> IO[bytes]:
        return path.open("rb")

    return open_binary


def _holds_relations(path: Path) -> bool:
    """Whether the archive or folder `path` holds an ESCO relation table (by name or columns).

    Folders are looked into two levels deep; at most :data:`_MAX_PROBED` CSV files are opened.
    Anything unreadable holds none.
    """

    def is_relation_table(name: str, opener: Callable[[], IO[bytes]]) -> bool:
        found = _table_of(name, opener)
        return found is not None and found[0] in _RELATION_FILES

    try:
        if path.is_dir():
            files = [f for pattern in ("*.csv", "*/*.csv") for f in sorted(path.glob(pattern))]
            for f in files[:_MAX_PROBED]:
                if f.is_file() and is_relation_table(f.name, _file_opener(f)):
                    return True
            return False
        if not (path.is_file() and path.suffix.lower() == ".zip"):
            return False
        with zipfile.ZipFile(path) as archive:
            names = [
                i.filename
                for i in archive.infolist()
                if not i.is_dir() and i.filename.lower().endswith(".csv")
            ]
            return any(
                is_relation_table(name, functools.partial(archive.open, name))
                for name in names[:_MAX_PROBED]
            )
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError):
        return False


def find_relations_beside(classification: Sequence[str | os.PathLike[str]]) -> Path | None:
    """The archive or folder beside the classification that holds ESCO's relation tables.

    Every zip archive and folder in the folders of the `classification` paths (other than those
    paths) is looked into; the one holding relation tables (``occupationSkillRelations``,
    ``broaderRelationsSkillPillar``, …, recognised by name or by columns) is the answer, whatever
    it is called. When several do, the one whose name carries the classification's release
    (``v1.1.1``) is taken; when that does not settle it, nothing is guessed.

    Returns
    -------
    pathlib.Path or None
        ``None`` when nothing beside the classification holds relation tables.

    Raises
    ------
    TaxonomyError
        Several candidates, none of them singled out by the release in its name.
    """
    given = [Path(p) for p in classification]
    resolved = set()
    for p in given:
        try:
            resolved.add(p.resolve())
        except OSError:
            continue
    candidates: list[Path] = []
    for parent in dict.fromkeys(p.parent for p in given):
        try:
            entries = sorted(parent.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry in candidates:
                continue
            try:
                if entry.resolve() in resolved:
                    continue
            except OSError:
                continue
            if _holds_relations(entry):
                candidates.append(entry)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    versions = {v.lower() for p in given for v in _VERSION.findall(p.name)}
    same_release = [
        c for c in candidates if versions & {v.lower() for v in _VERSION.findall(c.name)}
    ]
    if len(same_release) == 1:
        return same_release[0]
    shown = ", ".join(c.name for c in candidates[:10])
    raise TaxonomyError(
        f"several archives or folders beside the classification hold ESCO relation tables "
        f"({shown}); pass the one of this release as relations=",
        source=str(given[0]),
    )


def _split(cell: str | None, separator: str = "\n") -> list[str]:
    if not cell:
        return []
    return [part.strip() for part in cell.split(separator) if part.strip()]


def compile_esco_csv(source: EscoCsvSource, name: str) -> TaxonomyBuilder:
    """Read the classification and relation tables of `source` into a builder.

    The concept tables of several languages are merged: a concept is the same concept in every
    language it is labelled in, so it must be of one kind in all of them.
    """
    source.check_sizes()
    builder = TaxonomyBuilder(name)
    defined_in: dict[str, set[str]] = {}
    first_seen: dict[str, tuple[str, str]] = {}  # uri -> (kind, where it was defined first)
    found_any = False
    for stem, kind in _CONCEPT_FILES:
        for member in source.find(stem):
            found_any = True
            lang = member.lang or "en"
            where = source.where(member)
            for line, row in source.rows(member, ("conceptUri", "preferredLabel")):
                uri = row["conceptUri"].strip()
                if not uri:
                    raise TaxonomyError("row without conceptUri", source=where, line=line)
                langs = defined_in.setdefault(uri, set())
                if langs and lang not in langs:
                    earlier_kind, earlier_where = first_seen[uri]
                    if earlier_kind != kind:
                        raise TaxonomyError(
                            f"the concept is {_KIND_WORDS[kind]} here but "
                            f"{_KIND_WORDS[earlier_kind]} in {earlier_where}; the language "
                            "archives of one ESCO release define each concept with one kind: "
                            "are these archives of the same release?",
                            source=where,
                            line=line,
                            uris=[uri],
                        )
                    # the same concept in another language: merge its labels
                elif langs:
                    builder.add_concept(uri, kind)  # recorded as a duplicate by the builder
                else:
                    skill_type = (row.get("skillType") or "").strip()
                    reuse = (row.get("reuseLevel") or "").strip()
                    if skill_type not in _SKILL_TYPES or reuse not in _REUSE:
                        raise TaxonomyError(
                            f"unknown skillType {skill_type!r} or reuseLevel {reuse!r}",
                            source=where,
                            line=line,
                            uris=[uri],
                        )
                    builder.add_concept(
                        uri,
                        kind,
                        skill_type=_SKILL_TYPES[skill_type],
                        reuse_level=reuse,
                        code=(row.get("code") or "").strip(),
                    )
                    first_seen[uri] = (kind, where)
                langs.add(lang)
                builder.add_label(uri, lang, "pref", row["preferredLabel"])
                for alt in _split(row.get("altLabels")):
                    builder.add_label(uri, lang, "alt", alt)
                for hidden in _split(row.get("hiddenLabels")):
                    builder.add_label(uri, lang, "hidden", hidden)
                note = (row.get("scopeNote") or "").strip()
                if note:
                    builder.add_label(uri, lang, "scope_note", note)
    if not found_any:
        raise TaxonomyError(
            "no ESCO classification tables found (skills_<lang>.csv, occupations_<lang>.csv, …); "
            "pass the classification archive or folder",
            source=name,
        )
    _note_partial_languages(builder, defined_in)
    _read_relations(source, builder)
    return builder


def _note_partial_languages(builder: TaxonomyBuilder, defined_in: dict[str, set[str]]) -> None:
    """Note the concepts that some of the merged languages do not define (mixed releases)."""
    languages = set().union(*defined_in.values()) if defined_in else set()
    if len(languages) < 2:
        return
    partial = sorted(u for u, langs in defined_in.items() if langs != languages)
    if partial:
        missing = {
            lang: sum(lang not in defined_in[u] for u in partial) for lang in sorted(languages)
        }
        counts = ", ".join(f"{n} not in the {lang} tables" for lang, n in missing.items() if n)
        builder._warn(  # a note of the builder, emitted as a TaxonomyWarning on every load
            f"{len(partial)} concept(s) are defined in some of the languages only ({counts}); "
            "are these archives of the same ESCO release? They keep the labels they have",
            partial,
        )


def _relation_type(value: str, where: str, line: int) -> bool:
    kind = value.strip().lower()
    if kind not in ("essential", "optional"):
        raise TaxonomyError(
            f"relationType must be 'essential' or 'optional', not {value[:40]!r}",
            source=where,
            line=line,
        )
    return kind == "essential"


def _read_relations(source: EscoCsvSource, builder: TaxonomyBuilder) -> None:
    for stem in ("broaderrelationsskillpillar", "broaderrelationsoccpillar"):
        for member in source.find(stem)[:1]:
            for _line, row in source.rows(member, ("conceptUri", "broaderUri")):
                builder.add_broader(row["conceptUri"].strip(), row["broaderUri"].strip())
    for member in source.find("occupationskillrelations")[:1]:
        where = source.where(member)
        for line, row in source.rows(member, ("occupationUri", "relationType", "skillUri")):
            builder.add_occupation_skill(
                row["occupationUri"].strip(),
                row["skillUri"].strip(),
                _relation_type(row["relationType"], where, line),
            )
    for member in source.find("skillskillrelations")[:1]:
        where = source.where(member)
        for line, row in source.rows(
            member, ("originalSkillUri", "relationType", "relatedSkillUri")
        ):
            builder.add_skill_relation(
                row["originalSkillUri"].strip(),
                row["relatedSkillUri"].strip(),
                _relation_type(row["relationType"], where, line),
            )
