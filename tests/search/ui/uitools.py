"""Shared by the UI tests: signing in through the UI's own forms, a real server on a loopback port
(uvicorn in a thread, as `clew serve` runs the app), and where screenshots go."""

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

PURPOSE = {"purpose": "test the web UI on the views sample case", "case_ref": "TEST/UI-1"}
ROOT = Path(__file__).parents[3]


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(api, name: str, password: str, *, purpose: bool = True) -> str:
    """Sign `api` (a TestClient) in through the login form, and state the purpose through the
    purpose form unless told not to; the session's CSRF token."""
    resp = api.post("/login", data={"username": name, "password": password}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/purpose"), resp.text[:500]
    csrf = csrf_of(api.get(resp.headers["location"]).text)
    if purpose:
        stated = api.post("/purpose?next=/search", data={**PURPOSE, "csrf_token": csrf}, follow_redirects=False)
        assert (stated.status_code, stated.headers["location"]) == (303, "/search"), stated.text[:500]
    return csrf


@contextmanager
def serving(app) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port, in a thread; its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the UI server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def browser_sign_in(page, base_url: str, name: str, password: str) -> None:
    """Sign in through the UI's own forms in a real browser and state PURPOSE; returns on the search
    page with the purpose shown (not on /purpose?next=/search, which also ends in /search)."""
    from playwright.sync_api import expect

    page.goto(base_url + "/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Purpose", exact=True).fill(PURPOSE["purpose"])
    page.get_by_label("Case or job reference").fill(PURPOSE["case_ref"])
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/search$"))
    expect(page.locator("#current-purpose")).to_contain_text(PURPOSE["purpose"])


def artifacts() -> Path:
    """Where screenshots go: $CLEW_TEST_ARTIFACTS/ui, else .cache/artifacts/ui (ignored by git)."""
    base = os.environ.get("CLEW_TEST_ARTIFACTS")
    folder = Path(base) / "ui" if base else ROOT / ".cache" / "artifacts" / "ui"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
