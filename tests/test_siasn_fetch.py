"""`layak import siasn --fetch` against a local HTTP server on 127.0.0.1 serving the recorded responses."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cli_runner import run
from siasn_support import RESPONSES, golden, normalised, written

from engine.siasn.fetch import FetchError, Settings, fetch

TOKEN, SSO = "gateway-secret-7f3a", "sso-secret-91bc"
NIP = "198501152010011001"


class Server:
    """Serves fixtures/siasn/responses as GET /apisiasn/1.0/pns/<endpoint>/<nip>; scripted failures first."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str]] = []  # (path, Authorization, Auth)
        self.script: dict[str, list[int]] = {}  # path → statuses to answer before the real body

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.requests.append((self.path, self.headers.get("Authorization", ""), self.headers.get("Auth", "")))
                pending = server.script.get(self.path, [])
                if pending:
                    status = pending.pop(0)
                    self.send_response(status)
                    if status == 429:
                        self.send_header("Retry-After", "2")
                    self.end_headers()
                    self.wfile.write(b'{"Error": "busy"}')
                    return
                sent = (self.headers.get("Authorization"), self.headers.get("Auth"))
                if sent != (f"Bearer {TOKEN}", f"bearer {SSO}"):
                    self.send_response(401)
                    self.end_headers()
                    return
                parts = self.path.strip("/").split("/")  # apisiasn/1.0/pns/<endpoint>/<nip>
                file = RESPONSES / parts[-1] / f"{parts[-2]}.json"
                if not file.exists():
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(file.read_bytes())

            def log_message(self, *_args: object) -> None:
                pass

        return Handler


@pytest.fixture()
def server() -> Iterator[tuple[Server, str]]:
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{httpd.server_address[1]}/apisiasn/1.0"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture()
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAYAK_SIASN_TOKEN", TOKEN)
    monkeypatch.setenv("LAYAK_SIASN_SSO_TOKEN", SSO)


def test_fetch_imports_the_same_dossier_as_the_saved_files(
    server: tuple[Server, str], tokens: None, tmp_path: Path
) -> None:
    state, url = server
    code, stdout, stderr = run(
        "import",
        "siasn",
        "--fetch",
        NIP,
        "--out",
        str(tmp_path / "out"),
        "--base-url",
        url,
        "--responses",
        str(tmp_path / "saved"),
        "--rate",
        "1000",
    )
    assert code == 0, stderr
    assert normalised(written(tmp_path / "out", NIP)) == golden(NIP)
    for entry in written(tmp_path / "out", NIP)["provenance"]["files"]:
        saved = (tmp_path / "saved" / NIP / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(saved).hexdigest()
    assert {path.split("/")[4] for path, _a, _b in state.requests} >= {"data-utama", "rw-golongan", "rw-skp22"}
    assert all(auth == f"Bearer {TOKEN}" and sso == f"bearer {SSO}" for _p, auth, sso in state.requests)
    assert TOKEN not in stdout + stderr and SSO not in stdout + stderr


def test_retries_with_backoff_on_429_and_5xx(server: tuple[Server, str], tokens: None, tmp_path: Path) -> None:
    state, url = server
    state.script[f"/apisiasn/1.0/pns/rw-golongan/{NIP}"] = [429, 503, 502]
    sleeps: list[float] = []
    settings = Settings(base_url=url, rate=0, backoff=0.5, sleep=sleeps.append)
    assert fetch([NIP], tmp_path, settings) == []
    # 429 says Retry-After: 2; then the backoff doubles from 0.5 at each retry: 1.0 after the 503.
    assert sleeps == [2.0, 1.0, 2.0]
    assert (tmp_path / NIP / "rw-golongan.json").read_bytes() == (RESPONSES / NIP / "rw-golongan.json").read_bytes()


def test_gives_up_after_the_last_retry_and_reports_it(server: tuple[Server, str], tokens: None, tmp_path: Path) -> None:
    state, url = server
    state.script[f"/apisiasn/1.0/pns/rw-hukdis/{NIP}"] = [500] * 10
    findings = fetch([NIP], tmp_path, Settings(base_url=url, rate=0, retries=2, sleep=lambda _s: None))
    assert [(f.kind, f.code, f.file, f.args["status"]) for f in findings] == [
        ("error", "fetch_failed", f"{NIP}/rw-hukdis.json", "500")
    ]
    assert len([p for p, _a, _b in state.requests if "rw-hukdis" in p]) == 3


def test_rate_limit_spaces_the_requests(server: tuple[Server, str], tokens: None, tmp_path: Path) -> None:
    _state, url = server
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(round(seconds, 6))
        now[0] += seconds

    fetch([NIP], tmp_path, Settings(base_url=url, rate=4, sleep=sleep, clock=lambda: now[0]))
    # 11 endpoints at 4 per second on a clock that only moves when we sleep: 10 waits of 0.25 s.
    assert sleeps == [0.25] * 10


def test_refused_tokens_stop_with_exit_3_and_no_secret(
    server: tuple[Server, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _state, url = server
    monkeypatch.setenv("LAYAK_SIASN_TOKEN", "wrong-token-123")
    monkeypatch.setenv("LAYAK_SIASN_SSO_TOKEN", SSO)
    code, stdout, stderr = run("import", "siasn", "--fetch", NIP, "--out", str(tmp_path), "--base-url", url)
    assert code == 3
    assert "refused the tokens (HTTP 401)" in stderr
    assert "wrong-token-123" not in stdout + stderr and SSO not in stdout + stderr


def test_missing_tokens_and_bad_nips(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LAYAK_SIASN_TOKEN", raising=False)
    monkeypatch.delenv("LAYAK_SIASN_SSO_TOKEN", raising=False)
    with pytest.raises(FetchError, match="LAYAK_SIASN_TOKEN"):
        fetch([NIP], tmp_path, Settings(base_url="http://127.0.0.1:9"))
    code, _out, stderr = run("import", "siasn", "--fetch", "12345", "--out", str(tmp_path))
    assert code == 2 and "18-digit NIPs" in stderr


def test_unknown_nip_is_not_imported(server: tuple[Server, str], tokens: None, tmp_path: Path) -> None:
    _state, url = server
    code, stdout, _err = run(
        "import",
        "siasn",
        "--fetch",
        "199901012020011001",
        NIP,
        "--out",
        str(tmp_path / "o"),
        "--base-url",
        url,
        "--rate",
        "1000",
        "--format",
        "csv",
    )
    assert code == 3
    assert (tmp_path / "o" / f"{NIP}.json").exists()
    assert "199901012020011001,error,199901012020011001/data-utama.json" in stdout
