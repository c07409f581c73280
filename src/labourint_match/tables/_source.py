"""Where the rows come from: a CSV file or a pandas DataFrame, as a header and rows of cells.

A CSV file is read within the limits (``max_bytes``, ``max_rows``, ``max_cell_length``), decoded
and its delimiter guessed from the header; a DataFrame is read as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import ProfileError


@dataclass(frozen=True)
class _Options:
    dayfirst: bool | None
    evidence: str
    separators: re.Pattern[str]
    max_rows: int
    max_cell_length: int


class _Source(NamedTuple):
    name: str
    delimiter: str | None  # None for a DataFrame
    headers: list[str]
    rows: Iterator[tuple[int, int | None, list[Any]]]  # (position, line, cells)


_DELIMITERS = (",", ";", "\t", "|")
_QUOTED = re.compile(r'"[^"]*"')


def _guess_delimiter(text: str) -> str:
    first = _QUOTED.sub("", text[: text.find("\n") if "\n" in text else len(text)])
    counts = [first.count(d) for d in _DELIMITERS]
    return _DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def _read_bytes(path: str | os.PathLike[str], max_bytes: int) -> tuple[str, bytes]:
    file = Path(path)
    name = file.name or str(file)
    try:
        with open(file, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise ProfileError(
                    f"{name}: the file has {size} bytes, more than max_bytes={max_bytes}; split "
                    "it, or pass a larger max_bytes"
                )
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        hint = " (to read CSV held in memory, pass it as bytes)" if "\n" in str(path) else ""
        raise ProfileError(f"{name[:200]}: no such file{hint}") from None
    except IsADirectoryError:
        raise ProfileError(f"{name}: is a directory, not a file") from None
    except OSError as exc:
        raise ProfileError(f"{name}: cannot read the file ({exc.strerror})") from None
    except ValueError:  # a NUL character in the path
        raise ProfileError(f"{str(path)[:200]!r}: not a usable file name") from None
    if len(data) > max_bytes:
        raise ProfileError(
            f"{name}: the file has more than max_bytes={max_bytes} bytes; split it, or pass a "
            "larger max_bytes"
        )
    return name, data


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    if encoding is None:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ProfileError(
            f"is not valid {encoding.removesuffix('-sig').upper()}; save the file as CSV UTF-8, "
            "or pass the encoding it has (such as encoding='cp1252')",
            record=f"line {line} of {name}",
        ) from None


def _csv_source(
    data: bytes, name: str, *, encoding: str | None, delimiter: str | None, options: _Options
) -> _Source:
    text = _decode(data, name, encoding)
    delim = delimiter if delimiter is not None else _guess_delimiter(text)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delim, skipinitialspace=True, strict=False
    )

    def rows() -> Iterator[list[str]]:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise ProfileError(
                    f"a cell is longer than max_cell_length={options.max_cell_length} "
                    "characters, or cannot be read as CSV (an unclosed quote?); fix the file, "
                    "or pass a larger max_cell_length",
                    record=f"line {reader.line_num} of {name}",
                ) from None
            yield row

    it = rows()
    header: list[str] | None = None
    for row in it:
        if row:
            header = row
            break
    if header is None:
        raise ProfileError(f"{name}: the file is empty; it needs a header row naming the columns")
    _check_lengths(header, options, f"line {reader.line_num} of {name}")

    def body() -> Iterator[tuple[int, int | None, list[Any]]]:
        position = 0
        last = reader.line_num
        for row in it:
            start, last = last + 1, reader.line_num
            if not row:
                continue
            if position >= options.max_rows:
                _too_many_rows(name, options.max_rows)
            _check_lengths(row, options, f"line {start} of {name}")
            yield position, start, row
            position += 1

    return _Source(name, delim, [h.strip() for h in header], body())


def _too_many_rows(name: str, max_rows: int) -> None:
    raise ProfileError(
        f"{name}: the table has more than max_rows={max_rows} data rows; split it, or pass a "
        "larger max_rows"
    )


def _check_lengths(cells: Sequence[Any], options: _Options, where: str) -> None:
    for cell in cells:
        if isinstance(cell, (list, tuple)):  # a DataFrame cell holding a list: its entries
            longest = max((len(x) for x in cell if isinstance(x, str)), default=0)
        else:
            longest = len(cell) if isinstance(cell, str) else 0
        if longest > options.max_cell_length:
            raise ProfileError(
                f"a cell is longer than max_cell_length={options.max_cell_length} characters "
                "(an unclosed quote?); fix the file, or pass a larger max_cell_length",
                record=where,
            )


def _frame_source(frame: Any, options: _Options) -> _Source:
    name = "<DataFrame>"
    if len(frame) > options.max_rows:
        _too_many_rows(name, options.max_rows)
    headers = [str(c).strip() for c in frame.columns]
    _check_lengths(headers, options, "the header")

    def body() -> Iterator[tuple[int, int | None, list[Any]]]:
        for position, row in enumerate(frame.itertuples(index=False, name=None)):
            _check_lengths(row, options, f"row {position}")
            yield position, None, list(row)

    return _Source(name, None, headers, body())
