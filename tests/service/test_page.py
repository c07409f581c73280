"""The adviser page through Starlette's TestClient: login, CSRF, look-ups, overrides, plans,
languages and the accessibility basics the page promises (no script, labels, one h1)."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra (fastapi) is not installed")
pytest.importorskip("jinja2", reason="the service extra (jinja2) is not installed")

from fastapi import FastAPI
from fastapi.testclient import TestClient

from labourint_match import CandidateProfile, ScoringConfig, Taxonomy, Vacancy, synth
from labourint_match.assignment._log import OVERRIDE_EVENT_KEYS
from labourint_match.profiles import MAX_TEXT_LENGTH
from labourint_match.scoring._messages import CATALOGUE
from labourint_match.service._auth import add_key
from labourint_match.service._config import Limits, ServiceConfig
from labourint_match.service._page import SESSION_COOKIE, _local_back, add_page
from labourint_match.service._state import ServiceState
from labourint_match.service._store import Store

AS_OF = date(2026, 1, 1)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Setup:
    state: ServiceState
    key: str
    candidates: list[CandidateProfile]
    vacancies: list[Vacancy]
    decision_log: Path


def _state(folder: Path, *, local: bool, time_limit_s: float | None = None) -> Setup:
    drawn = synth.cohort(Taxonomy.default(), 30, 10, seed=3, as_of=AS_OF)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "c.jsonl").write_text("".join(c.model_dump_json() + "\n" for c in drawn.candidates))
    (folder / "v.jsonl").write_text("".join(v.model_dump_json() + "\n" for v in drawn.vacancies))
    key = "" if local else add_key(folder / "keys.txt", "adviser-1")
    config = ServiceConfig(
        database=folder / "unused.sqlite3",
        decision_log=folder / "decisions.jsonl",
        keys=None if local else folder / "keys.txt",
        insecure_local=local,
        candidates=folder / "c.jsonl",
        vacancies=folder / "v.jsonl",
        scoring=ScoringConfig(as_of=AS_OF),
    )
    if time_limit_s is not None:
        config = dataclasses.replace(config, limits=Limits(time_limit_s=time_limit_s))
    state = ServiceState(config, Taxonomy.default())
    return Setup(state, key, list(drawn.candidates), list(drawn.vacancies), config.decision_log)


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    return _state(tmp_path_factory.mktemp("secured"), local=False)


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    return _state(tmp_path_factory.mktemp("local"), local=True)


def _client(setup: Setup, db: Path) -> TestClient:
    app = FastAPI()
    add_page(app, setup.state, Store(db))
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def client(secured: Setup, tmp_path: Path) -> Iterator[TestClient]:
    with _client(secured, tmp_path / "page.sqlite3") as c:
        yield c


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    assert found, "no CSRF token in the page"
    return html.unescape(found.group(1))


def _login(client: TestClient, key: str) -> str:
    """Log in; return the session's CSRF token (from the search page)."""
    form = client.get("/adviser/login")
    assert form.status_code == 200
    r = client.post("/adviser/login", data={"csrf": _csrf(form.text), "key": key})
    assert r.status_code == 303
    assert r.headers["location"] == "/adviser"
    home = client.get("/adviser")
    assert home.status_code == 200
    return _csrf(home.text)


def _top_placed(setup: Setup) -> tuple[str, str]:
    """A person whom the free plan places on their top-ranked vacancy: (person, vacancy)."""
    m = setup.state.matcher
    plan = m.assign(setup.candidates, setup.vacancies)
    ranking = m.rank(setup.candidates, setup.vacancies, 1)
    for p in plan.pairs:
        top = ranking.for_candidate(p.candidate_id)[0]
        if top.vacancy_id == p.vacancy_id and top.eligible:
            return p.candidate_id, p.vacancy_id
    raise AssertionError("no person is placed on their top match")  # pragma: no cover


def _unchosen_eligible(setup: Setup, avoid: str) -> tuple[str, str]:
    """An eligible pair the free plan does not choose, for a person other than `avoid`."""
    m = setup.state.matcher
    plan = m.assign(setup.candidates, setup.vacancies)
    ranking = m.rank(setup.candidates, setup.vacancies, 10)
    for c in setup.candidates:
        if c.id == avoid:
            continue
        where = plan.for_candidate(c.id)
        placed_on = getattr(where, "vacancy_id", None)
        for match in ranking.for_candidate(c.id):
            if match.eligible and match.vacancy_id != placed_on:
                return c.id, match.vacancy_id
    raise AssertionError("no unchosen eligible pair")  # pragma: no cover


def _log_lines(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# -- login and sessions ---------------------------------------------------------------------------


def test_every_page_needs_a_login(client: TestClient) -> None:
    for path in ("/adviser", "/adviser/plan", "/adviser/candidates/c000001", "/adviser/find"):
        r = client.get(path)
        assert r.status_code == 303, path
        assert r.headers["location"] == "/adviser/login"
    r = client.post("/adviser/plan", data={"csrf": "x"})
    assert r.status_code == 303
    assert r.headers["location"] == "/adviser/login"


def test_a_wrong_key_is_refused_and_gives_no_session(client: TestClient) -> None:
    form = client.get("/adviser/login")
    r = client.post("/adviser/login", data={"csrf": _csrf(form.text), "key": "lmk_wrong"})
    assert r.status_code == 401
    assert "That key is not accepted." in r.text
    assert SESSION_COOKIE not in r.cookies
    assert client.get("/adviser").status_code == 303


def test_login_sets_a_strict_httponly_session_cookie_that_is_not_the_key(
    client: TestClient, secured: Setup
) -> None:
    form = client.get("/adviser/login")
    assert 'type="password"' in form.text
    r = client.post("/adviser/login", data={"csrf": _csrf(form.text), "key": secured.key})
    cookie = next(
        v for k, v in r.headers.multi_items() if k == "set-cookie" and SESSION_COOKIE in v
    )
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()
    assert secured.key not in cookie
    assert client.get("/adviser").status_code == 200


def test_login_without_the_login_forms_token_is_refused(client: TestClient, secured: Setup) -> None:
    client.get("/adviser/login")
    r = client.post("/adviser/login", data={"csrf": "forged", "key": secured.key})
    assert r.status_code == 403
    assert SESSION_COOKIE not in r.cookies


def test_logout_ends_the_session_in_the_store(client: TestClient, secured: Setup) -> None:
    csrf = _login(client, secured.key)
    token = client.cookies.get(SESSION_COOKIE)
    assert token
    r = client.post("/adviser/logout", data={"csrf": csrf})
    assert r.status_code == 303
    client.cookies.set(SESSION_COOKIE, token, path="/adviser")  # a copied cookie no longer works
    assert client.get("/adviser").status_code == 303


def test_a_post_without_the_csrf_token_changes_nothing(
    client: TestClient, secured: Setup, tmp_path: Path
) -> None:
    _login(client, secured.key)
    cid, vid = secured.candidates[0].id, secured.vacancies[0].id
    for token in ("", "forged"):
        r = client.post(
            "/adviser/overrides",
            data={"csrf": token, "candidate_id": cid, "vacancy_id": vid, "action": "forbid",
                  "reason": "x"},
        )  # fmt: skip
        assert r.status_code == 403
        assert "did not come from this page" in r.text
    assert Store(tmp_path / "page.sqlite3").active_overrides() == []
    assert client.post("/adviser/plan", data={"csrf": "forged"}).status_code == 403


# -- looking up -----------------------------------------------------------------------------------


def test_search_leads_to_the_person_and_the_vacancy(client: TestClient, secured: Setup) -> None:
    _login(client, secured.key)
    cid, vid = secured.candidates[3].id, secured.vacancies[2].id
    r = client.get("/adviser/find", params={"candidate": cid})
    assert (r.status_code, r.headers["location"]) == (303, f"/adviser/candidates/{cid}")
    r = client.get("/adviser/find", params={"vacancy": vid})
    assert (r.status_code, r.headers["location"]) == (303, f"/adviser/vacancies/{vid}")
    page = client.get(f"/adviser/vacancies/{vid}")
    assert page.status_code == 200
    assert page.text.count('class="match"') == 10


def test_unknown_ids_give_a_404_page_with_the_id_escaped(
    client: TestClient, secured: Setup
) -> None:
    _login(client, secured.key)
    r = client.get("/adviser/candidates/<b>nobody</b>")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "&lt;b&gt;nobody&lt;/b&gt;" in r.text
    assert "<b>nobody" not in r.text
    assert client.get("/adviser/vacancies/no-such-job").status_code == 404


def test_the_person_page_shows_the_top_match_its_pathway_gaps_and_explanation(
    client: TestClient, secured: Setup
) -> None:
    _login(client, secured.key)
    cand = secured.candidates[0]
    m = secured.state.matcher
    top = m.rank([cand], secured.vacancies, 10).for_candidate(cand.id)
    vac = next(v for v in secured.vacancies if v.id == top[0].vacancy_id)
    e = m.explain(cand, vac)
    page = client.get(f"/adviser/candidates/{cand.id}").text
    first = page.split('id="match-1"', 1)[1].split("</article>", 1)[0]
    assert f'data-vacancy="{vac.id}"' in first
    assert f"{e.score:.2f}" in first
    text = html.unescape(first)
    pathway = text.split('class="pathway">', 1)[1].split("</dd>", 1)[0]
    assert str(e.pathway) in pathway
    for gap in e.gaps:
        assert gap.label in text
    for need in e.pathway.training_needs:
        assert need.label in text.split('class="training">', 1)[1]
    assert "<details" in first  # the full explanation, folded
    assert page.count('class="match"') == len(top) == 10
    assert page.index('data-vacancy="' + top[0].vacancy_id) < page.index(
        'data-vacancy="' + top[1].vacancy_id
    )


# -- deciding and planning ------------------------------------------------------------------------


def test_overrides_are_recorded_logged_and_honoured_by_a_replan(
    client: TestClient, secured: Setup, tmp_path: Path
) -> None:
    csrf = _login(client, secured.key)
    banned_c, banned_v = _top_placed(secured)
    kept_c, kept_v = _unchosen_eligible(secured, avoid=banned_c)
    back = f"/adviser/candidates/{banned_c}"
    r = client.post(
        "/adviser/overrides",
        data={"csrf": csrf, "candidate_id": banned_c, "vacancy_id": banned_v, "action": "forbid",
              "reason": "page test: the commute is too long", "back": back},
    )  # fmt: skip
    assert r.status_code == 303
    assert r.headers["location"] == f"/adviser/candidates/{banned_c}?done=recorded"
    r = client.post(
        "/adviser/overrides",
        data={"csrf": csrf, "candidate_id": kept_c, "vacancy_id": kept_v, "action": "fix",
              "reason": "page test: agreed after a trial day", "back": "/adviser"},
    )  # fmt: skip
    assert r.status_code == 303
    shown = client.get(r.headers["location"]).text
    assert "The decision was recorded." in shown
    assert "page test: the commute is too long" in shown
    assert "page test: agreed after a trial day" in shown

    r = client.post("/adviser/plan", data={"csrf": csrf})
    assert (r.status_code, r.headers["location"]) == (303, "/adviser/plan?done=planned")
    plan = Store(tmp_path / "page.sqlite3").latest_plan()
    assert plan is not None
    assert plan.adviser == "adviser-1"
    placed = {(p.candidate_id, p.vacancy_id): p for p in plan.pairs}
    assert (banned_c, banned_v) not in placed
    assert placed[(kept_c, kept_v)].fixed
    page = client.get("/adviser/plan").text
    assert f'data-candidate="{kept_c}" data-vacancy="{kept_v}"' in page
    assert f'data-candidate="{banned_c}" data-vacancy="{banned_v}"' not in page
    assert plan.run_id in page

    lines = [x for x in _log_lines(secured.decision_log) if x.get("run_id") == plan.run_id]
    forbidden = [x for x in lines if x.get("decision") == "forbidden"]
    fixed = [x for x in lines if x.get("decision") == "fixed"]
    assert [(x["candidate_id"], x["vacancy_id"], x["adviser"], x["reason"]) for x in forbidden] == [
        (banned_c, banned_v, "adviser-1", "page test: the commute is too long")
    ]
    assert [(x["candidate_id"], x["vacancy_id"], x["adviser"]) for x in fixed] == [
        (kept_c, kept_v, "adviser-1")
    ]
    person = client.get(f"/adviser/candidates/{kept_c}").text
    assert f"Placed on <bdi>{kept_v}</bdi>" in person
    assert "This pair was fixed by an adviser." in person


def test_a_contradicting_override_is_refused(client: TestClient, secured: Setup) -> None:
    csrf = _login(client, secured.key)
    cid, vid = _unchosen_eligible(secured, avoid="")
    data = {"csrf": csrf, "candidate_id": cid, "vacancy_id": vid, "reason": "first"}
    assert client.post("/adviser/overrides", data={**data, "action": "forbid"}).status_code == 303
    r = client.post("/adviser/overrides", data={**data, "action": "fix", "reason": "second"})
    assert r.status_code == 409
    assert "already forbidden" in r.text


def test_an_ineligible_pair_cannot_be_fixed(client: TestClient, secured: Setup) -> None:
    csrf = _login(client, secured.key)
    m = secured.state.matcher
    ranking = m.rank(secured.candidates, secured.vacancies, 10)
    bad = next(x for c in secured.candidates for x in ranking.for_candidate(c.id) if not x.eligible)
    r = client.post(
        "/adviser/overrides",
        data={"csrf": csrf, "candidate_id": bad.candidate_id, "vacancy_id": bad.vacancy_id,
              "action": "fix", "reason": "try"},
    )  # fmt: skip
    assert r.status_code == 409
    assert "not eligible" in r.text


def test_an_empty_reason_is_refused(client: TestClient, secured: Setup) -> None:
    csrf = _login(client, secured.key)
    r = client.post(
        "/adviser/overrides",
        data={"csrf": csrf, "candidate_id": secured.candidates[0].id,
              "vacancy_id": secured.vacancies[0].id, "action": "forbid", "reason": "   "},
    )  # fmt: skip
    assert r.status_code == 400


def test_a_withdrawn_override_no_longer_applies(
    client: TestClient, secured: Setup, tmp_path: Path
) -> None:
    csrf = _login(client, secured.key)
    cid, vid = _top_placed(secured)
    data = {"csrf": csrf, "candidate_id": cid, "vacancy_id": vid, "action": "forbid",
            "reason": "withdrawn later"}  # fmt: skip
    assert client.post("/adviser/overrides", data=data).status_code == 303
    store = Store(tmp_path / "page.sqlite3")
    (o,) = store.active_overrides()
    r = client.post(f"/adviser/overrides/{o.id}/withdraw", data={"csrf": csrf, "back": "/adviser"})
    assert (r.status_code, r.headers["location"]) == (303, "/adviser?done=withdrawn")
    assert store.active_overrides() == []
    client.post("/adviser/plan", data={"csrf": csrf})
    plan = store.latest_plan()
    assert plan is not None
    assert (cid, vid) in {(p.candidate_id, p.vacancy_id) for p in plan.pairs}


def test_redirects_stay_on_the_adviser_page(client: TestClient, secured: Setup) -> None:
    csrf = _login(client, secured.key)
    backs = ("https://elsewhere.example/", "//elsewhere.example/adviser", "/other", "/adviser\\x")
    for vac, back in zip(secured.vacancies, backs, strict=False):
        r = client.post(
            "/adviser/overrides",
            data={"csrf": csrf, "candidate_id": secured.candidates[1].id, "vacancy_id": vac.id,
                  "action": "forbid", "reason": "redirect test", "back": back},
        )  # fmt: skip
        assert r.status_code == 303
        assert r.headers["location"] == "/adviser?done=recorded"


# -- languages, markup, headers -------------------------------------------------------------------


def test_the_arabic_page_is_right_to_left(client: TestClient, secured: Setup) -> None:
    _login(client, secured.key)
    cid = secured.candidates[0].id
    page = client.get(f"/adviser/candidates/{cid}", params={"lang": "ar"})
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "أفضل التطابقات" in page.text
    # the choice sticks for the next page (a cookie), and the switcher links every language
    assert '<html lang="ar" dir="rtl">' in client.get("/adviser").text
    assert '<html lang="uk" dir="ltr">' in client.get("/adviser", params={"lang": "uk"}).text
    for code in ("en", "sv", "nb", "de", "fr", "it", "ar", "uk"):
        assert f'href="/adviser?lang={code}" lang="{code}"' in page.text or (
            f'href="/adviser/candidates/{cid}?lang={code}" lang="{code}"' in page.text
        )


def test_the_browsers_language_is_used_when_none_is_asked(local: Setup, tmp_path: Path) -> None:
    with _client(local, tmp_path / "db.sqlite3") as c:
        page = c.get("/adviser", headers={"Accept-Language": "de-AT, en;q=0.5"})
        assert '<html lang="de" dir="ltr">' in page.text
        assert "Eine Person oder eine Stelle suchen" in page.text
        page = c.get("/adviser", headers={"Accept-Language": "ja"})
        assert '<html lang="en" dir="ltr">' in page.text


class _Audit(HTMLParser):
    """Counts what the accessibility checks need."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.controls: list[str] = []  # ids of visible inputs, textareas and selects
        self.label_for: set[str] = set()
        self.th_without_scope = 0
        self.html_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_attrs = a
        if tag in ("input", "textarea", "select") and a.get("type") != "hidden":
            self.controls.append(a.get("id") or "")
        if tag == "label" and a.get("for"):
            self.label_for.add(str(a["for"]))
        if tag == "th" and "scope" not in a:
            self.th_without_scope += 1


def _pages(client: TestClient, setup: Setup) -> dict[str, str]:
    cid, vid = setup.candidates[0].id, setup.vacancies[0].id
    out = {}
    for path in ("/adviser", f"/adviser/candidates/{cid}", f"/adviser/vacancies/{vid}",
                 "/adviser/plan", "/adviser/candidates/nobody"):  # fmt: skip
        r = client.get(path)
        assert r.status_code in (200, 404)
        csp = r.headers["content-security-policy"]
        assert "script-src" not in csp
        assert "default-src 'none'" in csp
        assert "unsafe" not in csp
        out[path] = r.text
    return out


def test_no_page_holds_a_script_and_the_policy_allows_none(
    client: TestClient, secured: Setup
) -> None:
    login = client.get("/adviser/login").text
    assert "<script" not in login.lower()
    csrf = _login(client, secured.key)
    client.post("/adviser/plan", data={"csrf": csrf})
    for path, text in _pages(client, secured).items():
        low = text.lower()
        assert "<script" not in low, path
        assert "javascript:" not in low, path
        assert not re.search(r"\son[a-z]+=", low), path  # no inline event handlers


def test_pages_have_one_h1_landmarks_labels_and_scoped_headers(
    client: TestClient, secured: Setup
) -> None:
    csrf = _login(client, secured.key)
    client.post("/adviser/plan", data={"csrf": csrf})
    for path, text in [*_pages(client, secured).items(), ("login", "")]:
        if not text:
            continue
        audit = _Audit()
        audit.feed(text)
        assert audit.tags.count("h1") == 1, path
        assert "main" in audit.tags, path
        assert "nav" in audit.tags, path
        assert audit.html_attrs.get("lang"), path
        assert audit.html_attrs.get("dir") in ("ltr", "rtl"), path
        assert all(c and c in audit.label_for for c in audit.controls), path
        assert audit.th_without_scope == 0, path
    css = client.get("/adviser/page.css")
    assert ":focus-visible" in css.text


def test_without_keys_no_login_is_needed_and_the_adviser_is_local(
    local: Setup, tmp_path: Path
) -> None:
    with _client(local, tmp_path / "db.sqlite3") as c:
        assert c.get("/adviser/login").headers["location"] == "/adviser"
        home = c.get("/adviser")
        assert home.status_code == 200
        assert "Log out" not in home.text
        csrf = _csrf(c.get("/adviser/plan").text)
        cid, vid = _top_placed(local)
        r = c.post(
            "/adviser/overrides",
            data={"csrf": csrf, "candidate_id": cid, "vacancy_id": vid, "action": "forbid",
                  "reason": "local test"},
        )  # fmt: skip
        assert r.status_code == 303
        assert c.post("/adviser/overrides", data={"csrf": "forged"}).status_code == 403
        (o,) = Store(tmp_path / "db.sqlite3").active_overrides()
        assert o.adviser == "local"


# -- review of issue 23: sessions, time limits, the log, limits, markup ---------------------------


def _without_line(keys: Path, adviser: str) -> None:
    kept = [x for x in keys.read_text().splitlines() if not x.startswith(adviser + " ")]
    keys.write_text("".join(x + "\n" for x in kept))


def test_a_revoked_keys_session_ends_at_the_restart(tmp_path: Path) -> None:
    setup = _state(tmp_path / "s", local=False)
    keys = tmp_path / "s" / "keys.txt"
    other = add_key(keys, "other")
    db = tmp_path / "page.sqlite3"
    before = ServiceState(setup.state.config, Taxonomy.default())  # started with both keys
    app = FastAPI()
    add_page(app, before, Store(db))
    with TestClient(app, follow_redirects=False) as c:
        csrf = _login(c, other)
        token = c.cookies.get(SESSION_COOKIE)
    assert token
    assert Store(db).session(token) is not None

    _without_line(keys, "other")  # the key is revoked, and the service restarted on the same file
    after = ServiceState(setup.state.config, Taxonomy.default())
    with _client(Setup(after, setup.key, setup.candidates, setup.vacancies,
                       setup.decision_log), db) as c:  # fmt: skip
        assert Store(db).session(token) is None  # ended at startup
        c.cookies.set(SESSION_COOKIE, token, path="/adviser")
        assert c.get("/adviser/plan").headers["location"] == "/adviser/login"
        r = c.post("/adviser/plan", data={"csrf": csrf})
        assert (r.status_code, r.headers["location"]) == (303, "/adviser/login")
        r = c.post(
            "/adviser/overrides",
            data={"csrf": csrf, "candidate_id": setup.candidates[0].id,
                  "vacancy_id": setup.vacancies[0].id, "action": "forbid", "reason": "revoked"},
        )  # fmt: skip
        assert (r.status_code, r.headers["location"]) == (303, "/adviser/login")
    assert Store(db).active_overrides() == []
    assert Store(db).latest_plan() is None


def test_a_session_of_an_adviser_without_a_key_is_refused(
    client: TestClient, tmp_path: Path
) -> None:
    # A session the startup sweep did not see (opened later, by a process with other keys).
    stray = Store(tmp_path / "page.sqlite3").open_session("not-a-key-holder")
    assert stray.token
    client.cookies.set(SESSION_COOKIE, stray.token, path="/adviser")
    assert client.get("/adviser").headers["location"] == "/adviser/login"


def test_a_replan_past_its_time_limit_neither_logs_nor_saves(tmp_path: Path) -> None:
    setup = _state(tmp_path / "s", local=True, time_limit_s=1e-6)
    db = tmp_path / "db.sqlite3"
    with _client(setup, db) as c:
        csrf = _csrf(c.get("/adviser/plan").text)
        r = c.post("/adviser/plan", data={"csrf": csrf}, params={"lang": "de"})
        assert r.status_code == 503
        assert "Zeitgrenze" in r.text  # the 503 is in the page's language
        time.sleep(0.5)
    assert _log_lines(setup.decision_log) == []
    assert Store(db).latest_plan() is None


def test_a_replan_that_times_out_while_working_logs_and_saves_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = _state(tmp_path / "s", local=True, time_limit_s=0.5)
    state = setup.state
    real = state.matcher.assign
    done = threading.Event()

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(1.0)  # started in time, finished past the limit
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            done.set()

    monkeypatch.setattr(state.matcher, "assign", slow)
    db = tmp_path / "db.sqlite3"
    with _client(setup, db) as c:
        csrf = _csrf(c.get("/adviser/plan").text)
        assert c.post("/adviser/plan", data={"csrf": csrf}).status_code == 503
        assert done.wait(600)  # a cold kernel cache compiles first
        with state.computing():  # the work (plan, log, store) has finished
            pass
    plan = Store(db).latest_plan()
    assert plan is not None  # the old page logged the run but never saved it
    runs = {x["run_id"] for x in _log_lines(setup.decision_log)}
    assert runs == {plan.run_id}


def test_overrides_are_logged_when_recorded_and_when_withdrawn(
    client: TestClient, secured: Setup, tmp_path: Path
) -> None:
    csrf = _login(client, secured.key)
    cid, vid = secured.candidates[5].id, secured.vacancies[4].id
    reason = "log test: line one\r\nline two"  # a browser's line break
    data = {"csrf": csrf, "candidate_id": cid, "vacancy_id": vid, "action": "forbid",
            "reason": reason}  # fmt: skip
    before = len(_log_lines(secured.decision_log))
    assert client.post("/adviser/overrides", data=data).status_code == 303
    assert client.post("/adviser/overrides", data=data).status_code == 409  # refused: no line
    (o,) = Store(tmp_path / "page.sqlite3").active_overrides()
    assert o.reason == "log test: line one\nline two"
    r = client.post(f"/adviser/overrides/{o.id}/withdraw", data={"csrf": csrf})
    assert r.status_code == 303
    again = client.post(f"/adviser/overrides/{o.id}/withdraw", data={"csrf": csrf})
    assert again.status_code == 409
    assert "no longer in force" in again.text
    lines = _log_lines(secured.decision_log)[before:]  # no re-plan in between
    assert [tuple(x) for x in lines] == [OVERRIDE_EVENT_KEYS, OVERRIDE_EVENT_KEYS]
    assert [(x["event"], x["decision"], x["candidate_id"], x["vacancy_id"], x["reason"],
             x["adviser"], x["by"]) for x in lines] == [
        ("recorded", "forbidden", cid, vid, o.reason, "adviser-1", "adviser-1"),
        ("withdrawn", "forbidden", cid, vid, o.reason, "adviser-1", "adviser-1"),
    ]  # fmt: skip


def test_a_too_long_reason_gets_a_clear_message(client: TestClient, secured: Setup) -> None:
    csrf = _login(client, secured.key)
    cid = secured.candidates[0].id
    page = client.get(f"/adviser/candidates/{cid}", params={"lang": "en"}).text
    assert f'maxlength="{MAX_TEXT_LENGTH}"' in page
    data = {"csrf": csrf, "candidate_id": cid, "vacancy_id": secured.vacancies[6].id,
            "action": "forbid"}  # fmt: skip
    r = client.post("/adviser/overrides", data={**data, "reason": "x" * (MAX_TEXT_LENGTH + 100)})
    assert r.status_code == 400
    assert f"at most {MAX_TEXT_LENGTH} characters" in r.text
    r = client.post("/adviser/overrides", data={**data, "reason": "y" * MAX_TEXT_LENGTH})
    assert r.status_code == 303
    r = client.post("/adviser/plan", data={"csrf": csrf})
    assert r.status_code == 303  # the longest reason the form takes re-plans


def _full_vacancy(setup: Setup) -> tuple[str, int, list[str]]:
    """A vacancy and its openings, with more eligible people than openings."""
    m = setup.state.matcher
    ranking = m.rank(setup.candidates, setup.vacancies, len(setup.candidates), by="vacancy")
    for v in sorted(setup.vacancies, key=lambda v: v.openings):
        people = [x.candidate_id for x in ranking.for_vacancy(v.id) if x.eligible]
        if len(people) > v.openings:
            return v.id, v.openings, people
    raise AssertionError("no vacancy with more eligible people than openings")  # pragma: no cover


def test_fixing_more_people_than_openings_is_refused_when_recorded(
    client: TestClient, secured: Setup, tmp_path: Path
) -> None:
    csrf = _login(client, secured.key)
    vid, openings, people = _full_vacancy(secured)
    for cid in people[:openings]:
        r = client.post(
            "/adviser/overrides",
            data={"csrf": csrf, "candidate_id": cid, "vacancy_id": vid, "action": "fix",
                  "reason": "openings test"},
        )  # fmt: skip
        assert r.status_code == 303
    r = client.post(
        "/adviser/overrides",
        data={"csrf": csrf, "candidate_id": people[openings], "vacancy_id": vid,
              "action": "fix", "reason": "one too many"},
    )  # fmt: skip
    assert r.status_code == 409
    assert "all already taken by fixed pairs" in r.text
    assert len(Store(tmp_path / "page.sqlite3").active_overrides()) == openings
    assert client.post("/adviser/plan", data={"csrf": csrf}).status_code == 303


def test_the_ineligible_fix_and_its_reasons_are_in_the_pages_language(
    client: TestClient, secured: Setup
) -> None:
    csrf = _login(client, secured.key)
    m = secured.state.matcher
    ranking = m.rank(secured.candidates, secured.vacancies, 10)
    bad = next(x for c in secured.candidates for x in ranking.for_candidate(c.id) if not x.eligible)
    r = client.post(
        "/adviser/overrides",
        params={"lang": "de"},
        data={"csrf": csrf, "candidate_id": bad.candidate_id, "vacancy_id": bad.vacancy_id,
              "action": "fix", "reason": "try"},
    )  # fmt: skip
    assert r.status_code == 409
    assert "nicht zulässig" in r.text
    cand = next(c for c in secured.candidates if c.id == bad.candidate_id)
    vac = next(v for v in secured.vacancies if v.id == bad.vacancy_id)
    reasons = m.explain(cand, vac).reasons
    said = html.unescape(r.text.split('class="problem"', 1)[1].split("</p>", 1)[0])
    for code in reasons:  # the library's German words, not the English codes
        assert CATALOGUE["de"][f"reason_{code}"] in said
        assert code.replace("_", " ") not in said


def test_language_links_quote_the_id_and_no_means_bokmal(
    client: TestClient, secured: Setup
) -> None:
    _login(client, secured.key)
    r = client.get("/adviser/candidates/a%3Fb%23c%25d%2F..")
    assert r.status_code == 404
    assert 'href="/adviser/candidates/a%3Fb%23c%25d%2F..?lang=sv"' in r.text
    cid = secured.candidates[0].id
    page = client.get(f"/adviser/candidates/{cid}", params={"lang": "no"})
    assert '<html lang="nb" dir="ltr">' in page.text
    assert '<html lang="nb" dir="ltr">' in client.get("/adviser").text  # kept, as nb
    assert '<html lang="nb"' in client.get("/adviser", params={"lang": "nn"}).text


def test_the_explanation_sits_under_the_cards_heading(client: TestClient, secured: Setup) -> None:
    _login(client, secured.key)
    page = client.get(f"/adviser/candidates/{secured.candidates[0].id}").text
    card = page.split('id="match-1"', 1)[1].split("</article>", 1)[0]
    assert "<h3" in card.split("<details", 1)[0]
    explanation = card.split("<details", 1)[1].split("</details>", 1)[0]
    assert "<h3" not in explanation
    assert "<h4>" in explanation


def test_user_text_is_isolated_from_bidi_controls(client: TestClient, secured: Setup) -> None:
    csrf = _login(client, secured.key)
    cid, vid = secured.candidates[7].id, secured.vacancies[8].id
    reason = "\u202eevil reversed"
    r = client.post(
        "/adviser/overrides",
        data={"csrf": csrf, "candidate_id": cid, "vacancy_id": vid, "action": "forbid",
              "reason": reason, "back": "/adviser"},
    )  # fmt: skip
    assert r.status_code == 303
    home = client.get("/adviser").text
    assert f"<bdi>{reason}</bdi>" in home
    assert f"<bdi>{cid}</bdi>" in home
    missing = client.get("/adviser/candidates/x\u202ey").text
    assert "<bdi>x\u202ey</bdi>" in missing
    person = client.get(f"/adviser/candidates/{cid}").text
    assert re.search(r"<h1>Person <bdi>[^<]+</bdi></h1>", person)


@pytest.mark.parametrize(
    ("back", "expected"),
    [
        ("/adviser/../x", "/fallback"),
        ("/adviser/%2e%2e/x", "/fallback"),
        ("/adviser/candidates/..%2F..%2Fx", "/adviser/candidates/..%2F..%2Fx"),
        ("/adviser/candidates/../../../etc", "/fallback"),
        ("/adviserx", "/fallback"),
        ("/adviser/./plan?x=1#y", "/adviser/plan"),
        ("/adviser/candidates/c1/../c2", "/adviser/candidates/c2"),
        ("/adviser", "/adviser"),
        ("/adviser/candidates/a%3Fb", "/adviser/candidates/a%3Fb"),
    ],
)
def test_back_paths_are_normalised_and_stay_under_the_page(back: str, expected: str) -> None:
    assert _local_back(back, "/fallback") == expected
