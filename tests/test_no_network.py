"""Nothing reaches the network: the entry points added for issues 18, 19 and 21, under a watch.

An audit hook records every attempt to resolve a host name or open a connection while the block
runs; the control test proves the hook sees a real (loopback) connection, so an empty record
means nothing was tried. The taxonomy loaders' own no-network tests are in
``tests/taxonomy/test_safety.py``.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from labourint_match import (
    CandidateProfile,
    Matcher,
    ScoringConfig,
    SkillResolver,
    Taxonomy,
    UnjudgedVacancyWarning,
    Vacancy,
    read_candidates,
)

FIXTURES = Path(__file__).parent / "fixtures"
_EVENTS = frozenset({
    "socket.connect", "socket.connect_ex", "socket.getaddrinfo", "socket.gethostbyname",
    "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto", "urllib.Request",
    "http.client.connect",
})  # fmt: skip
_STATE: dict[str, Any] = {"installed": False, "on": False, "seen": []}


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _STATE["on"] and event in _EVENTS and threading.current_thread() is _STATE["thread"]:
        _STATE["seen"].append((event, repr(args)[:120]))


@contextmanager
def _watched() -> Iterator[list[tuple[str, str]]]:
    if not _STATE["installed"]:
        sys.addaudithook(_hook)  # audit hooks cannot be removed: it records only while "on"
        _STATE["installed"] = True
    _STATE.update(on=True, seen=[], thread=threading.current_thread())
    try:
        yield _STATE["seen"]
    finally:
        _STATE["on"] = False


def test_the_watch_sees_a_real_connection() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    with _watched() as seen:
        socket.create_connection(server.getsockname(), timeout=2).close()
    server.close()
    assert any(event == "socket.connect" for event, _ in seen)


def test_tables_matching_explaining_and_extracting_reach_no_network() -> None:
    taxonomy = Taxonomy.default()
    cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    needed = [r.skill for r in taxonomy.occupation_skills(cook)]
    with _watched() as seen:
        columns = {
            "id": "Client no.", "skills": ["Skills", "Other skills"], "isced_level": "Education",
            "work_status": "Status", "work_allowed_from": "Permit from",
            "available_from": "Can start",
        }  # fmt: skip
        report = read_candidates(FIXTURES / "intake_messy.csv", columns, lenient=True)
        people = [
            *report.records,
            CandidateProfile(id="c-free", skills=["cooking", "clean surfaces"], languages=[]),
        ]
        jobs = [
            Vacancy(id="v-1", occupation=cook, skills=needed[:6]),
            Vacancy(id="v-2", skills=["motivated team player"]),
        ]
        matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 3, 1)))
        with pytest.warns(UnjudgedVacancyWarning):
            ranking = matcher.rank(people, jobs, top_k=2)
        matcher.explain(people[-1], jobs[0])
        SkillResolver(taxonomy).extract("I cook and clean surfaces; I can drive a forklift.")
    assert len(ranking) == len(people)
    assert seen == []
