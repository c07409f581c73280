"""The adviser page in a real browser: headless Chromium (Debian's) driven by selenium, with
JavaScript switched off, against a real server.

One browser session walks the acceptance path of issue 23: log in with the key, look up a person,
read the top match and its pathway, forbid that pair with a reason, plan again, and find the
override in the decision log and the pair gone from the new plan; then the Arabic page is right
to left. A screenshot of the person page is saved to ``$LABOURINT_SCREENSHOTS`` when it is set.

Without ``/usr/bin/chromium`` or ``/usr/bin/chromedriver`` the test is skipped, except in CI
(``CI=true``), which installs them (``.ci/run``): there it fails.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the service extra (fastapi, uvicorn) is not installed")
pytest.importorskip("uvicorn", reason="the service extra (fastapi, uvicorn) is not installed")

from labourint_match import (
    CandidateProfile,
    Matcher,
    ScoringConfig,
    Taxonomy,
    Vacancy,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AS_OF = date(2026, 1, 1)
REASON = "browser test: the commute is too long for this person"


def _browser_or_skip() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if not missing:
        return
    why = f"the browser test needs {', '.join(missing)} (Debian: chromium, chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(why + "; CI installs them, so their absence is an error here")
    pytest.skip(why)


@dataclass
class PageServer:
    """What the test needs of a server: where it is, a key, its files and its cohort."""

    url: str
    key: str
    decision_log: Path
    candidates: list[CandidateProfile]
    vacancies: list[Vacancy]


def _serves_page(url: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url + "/adviser/login", timeout=10) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def page_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PageServer]:
    """The session's ``live_server`` (a real ``labourint-match serve`` process) when it serves
    the page; otherwise (the app not yet wired to the page) uvicorn in a thread, on the same
    kind of cohort."""
    _browser_or_skip()
    live = request.getfixturevalue("live_server")
    if _serves_page(live.url):
        yield PageServer(live.url, live.key, live.decision_log, live.candidates, live.vacancies)
        return
    import warnings

    import uvicorn
    from fastapi import FastAPI

    from labourint_match import synth
    from labourint_match.service._auth import add_key
    from labourint_match.service._config import ServiceConfig
    from labourint_match.service._page import add_page
    from labourint_match.service._state import ServiceState
    from labourint_match.service._store import Store

    warnings.warn(
        "the live server does not serve /adviser yet: the browser test runs on uvicorn in a thread",
        stacklevel=1,
    )
    folder = tmp_path_factory.mktemp("page-server")
    drawn = synth.cohort(Taxonomy.default(), 60, 20, seed=5, as_of=AS_OF)
    (folder / "c.jsonl").write_text("".join(c.model_dump_json() + "\n" for c in drawn.candidates))
    (folder / "v.jsonl").write_text("".join(v.model_dump_json() + "\n" for v in drawn.vacancies))
    key = add_key(folder / "keys.txt", "adviser-1")
    config = ServiceConfig(
        database=folder / "plans.sqlite3", decision_log=folder / "decisions.jsonl",
        keys=folder / "keys.txt", candidates=folder / "c.jsonl", vacancies=folder / "v.jsonl",
        scoring=ScoringConfig(as_of=AS_OF),
    )  # fmt: skip
    app = FastAPI()
    add_page(app, ServiceState(config, Taxonomy.default()), Store(config.database))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _serves_page(url):
        assert time.monotonic() < deadline, "the page server did not start"
        time.sleep(0.1)
    yield PageServer(url, key, config.decision_log, list(drawn.candidates), list(drawn.vacancies))
    server.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
        "--window-size=1280,1800",
    ):  # fmt: skip
        options.add_argument(arg)
    # The page must work without JavaScript: the browser runs with it switched off.
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(120)
    try:
        yield browser
    finally:
        browser.quit()


def _top_placed(server: PageServer) -> tuple[str, str, str]:
    """A person the plan places on their top match: (person, vacancy, pathway text)."""
    matcher = Matcher(Taxonomy.default(), ScoringConfig(as_of=AS_OF))
    plan = matcher.assign(server.candidates, server.vacancies)
    ranking = matcher.rank(server.candidates, server.vacancies, 1)
    people = {c.id: c for c in server.candidates}
    jobs = {v.id: v for v in server.vacancies}
    for p in plan.pairs:
        top = ranking.for_candidate(p.candidate_id)[0]
        if top.vacancy_id == p.vacancy_id and top.eligible:
            e = matcher.explain(people[p.candidate_id], jobs[p.vacancy_id])
            return p.candidate_id, p.vacancy_id, str(e.pathway)
    raise AssertionError("no person is placed on their top match")  # pragma: no cover


def _decision_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_an_adviser_finds_the_top_match_forbids_it_and_the_replan_honours_it(
    page_server: PageServer, driver: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    def arrive(fragment: str) -> None:
        """Wait for the navigation a click or submit started (clicks do not wait for it)."""
        WebDriverWait(driver, 60).until(ec.url_contains(fragment))

    person, vacancy, pathway = _top_placed(page_server)
    url = page_server.url

    # log in with the key (a password field), without JavaScript
    driver.get(url + "/adviser/login?lang=en")
    key_field = driver.find_element(By.ID, "key")
    assert key_field.get_attribute("type") == "password"
    key_field.send_keys(page_server.key)
    key_field.submit()
    WebDriverWait(driver, 60).until(ec.url_matches(r"/adviser$"))
    assert driver.current_url.rstrip("/").endswith("/adviser")
    session = driver.get_cookie("lm_session")
    assert session is not None
    assert session["httpOnly"] is True
    assert session["value"] != page_server.key

    # look the person up, find the top match and its pathway
    box = driver.find_element(By.ID, "candidate")
    box.send_keys(person)
    box.submit()
    arrive(f"/adviser/candidates/{person}")
    assert driver.find_element(By.TAG_NAME, "h1").text == f"Person {person}"
    top = driver.find_element(By.ID, "match-1")
    assert top.get_attribute("data-vacancy") == vacancy
    shown = top.find_element(By.CSS_SELECTOR, "dd.pathway").text
    assert pathway in shown
    # the full explanation is folded away and opens without JavaScript
    details = top.find_element(By.CSS_SELECTOR, "details.explanation")
    details.find_element(By.TAG_NAME, "summary").click()
    assert details.get_attribute("open") is not None
    shots = os.environ.get("LABOURINT_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        assert driver.save_screenshot(str(Path(shots) / "adviser-person.png"))

    # forbid the top pair, with a reason
    top.find_element(By.ID, "forbid-1").click()
    reason = top.find_element(By.ID, "reason-1")
    reason.send_keys(REASON)
    reason.submit()
    arrive("done=recorded")
    assert "The decision was recorded." in driver.find_element(By.TAG_NAME, "main").text
    rows = driver.find_elements(By.CSS_SELECTOR, "table.overrides tr.override")
    assert any(REASON in r.text and vacancy in r.text for r in rows)

    # plan again: the forbidden pair is not placed
    driver.find_element(By.LINK_TEXT, "Plan").click()
    WebDriverWait(driver, 60).until(ec.url_matches(r"/adviser/plan$"))
    driver.find_element(By.CSS_SELECTOR, "form[action='/adviser/plan'] button").click()
    arrive("done=planned")
    run_id = driver.find_element(By.CSS_SELECTOR, "p.summary").get_attribute("data-run")
    assert run_id
    placed = {
        (r.get_attribute("data-candidate"), r.get_attribute("data-vacancy"))
        for r in driver.find_elements(By.CSS_SELECTOR, "table.plan tr.pair")
    }
    assert placed
    assert (person, vacancy) not in placed

    # the override is in the decision log, with its reason and the adviser's id
    lines = [x for x in _decision_lines(page_server.decision_log) if x.get("run_id") == run_id]
    assert lines
    forbidden = [x for x in lines if x.get("decision") == "forbidden"]
    assert {
        "candidate_id": person, "vacancy_id": vacancy, "adviser": "adviser-1", "reason": REASON
    }.items() <= next(x for x in forbidden if x["candidate_id"] == person).items()  # fmt: skip
    assert not any(
        x.get("decision") == "placed" and (x["candidate_id"], x["vacancy_id"]) == (person, vacancy)
        for x in lines
    )

    # the Arabic page is right to left
    driver.get(f"{url}/adviser/candidates/{person}?lang=ar")
    root = driver.find_element(By.TAG_NAME, "html")
    assert root.get_attribute("dir") == "rtl"
    assert root.get_attribute("lang") == "ar"
    assert root.value_of_css_property("direction") == "rtl"
    assert driver.execute_script("return document.documentElement.dir") == "rtl"
    if shots:
        assert driver.save_screenshot(str(Path(shots) / "adviser-person-ar.png"))
    # back to English for whoever uses this browser next
    driver.get(f"{url}/adviser?lang=en")
