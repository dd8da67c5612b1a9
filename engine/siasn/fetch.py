"""Fetching SIASN responses from the web service into a folder of NIP folders, bytes kept as received."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.siasn.inputs import ENDPOINTS
from engine.siasn.values import Finding, Kind

DEFAULT_URL = "https://apimws.bkn.go.id:8243/apisiasn/1.0"
# The two tokens every SIASN client sends: the API gateway's OAuth token and the SSO token. Read from the
# environment only, so they never appear in shell history, process lists or logs.
TOKEN_ENV = "LAYAK_SIASN_TOKEN"
SSO_ENV = "LAYAK_SIASN_SSO_TOKEN"
URL_ENV = "LAYAK_SIASN_URL"
_RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """Fetching cannot go on (no tokens, tokens refused); never carries a token."""


@dataclass
class Settings:
    base_url: str = DEFAULT_URL
    timeout: float = 30.0
    retries: int = 4  # attempts after the first, on 429, 5xx and connection errors
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    rate: float = 5.0  # requests per second at most
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: float | None = field(default=None, repr=False)

    def wait_turn(self) -> None:
        if self._last is not None and self.rate > 0:
            delay = 1.0 / self.rate - (self.clock() - self._last)
            if delay > 0:
                self.sleep(delay)
        self._last = self.clock()


def tokens() -> tuple[str, str]:
    token, sso = os.environ.get(TOKEN_ENV, ""), os.environ.get(SSO_ENV, "")
    if not token or not sso:
        raise FetchError(f"set {TOKEN_ENV} (API gateway token) and {SSO_ENV} (SSO token) in the environment")
    return token, sso


def _get(url: str, headers: dict[str, str], settings: Settings) -> tuple[int, bytes, str]:
    """(status, body, Retry-After) of one GET, retried with backoff on 429, 5xx and connection errors."""
    delay = settings.backoff
    for attempt in range(settings.retries + 1):
        settings.wait_turn()
        try:
            request = urllib.request.Request(url, headers=headers, method="GET")
            with urllib.request.urlopen(request, timeout=settings.timeout) as response:  # noqa: S310
                return response.status, response.read(), ""
        except urllib.error.HTTPError as error:
            status, body, retry_after = error.code, error.read(), error.headers.get("Retry-After", "")
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            status, body, retry_after = 0, str(getattr(error, "reason", error)).encode(), ""
        if status not in _RETRY_STATUSES and status != 0 or attempt == settings.retries:
            return status, body, retry_after
        wait = float(retry_after) if retry_after.isdigit() else delay
        settings.sleep(wait)
        delay *= 2
    raise AssertionError("unreachable")


def fetch(nips: list[str], folder: Path, settings: Settings) -> list[Finding]:
    """Save every endpoint's body for each NIP under folder/<NIP>/<endpoint>.json; findings for what failed."""
    token, sso = tokens()
    headers = {"Authorization": f"Bearer {token}", "Auth": f"bearer {sso}", "Accept": "application/json"}
    findings: list[Finding] = []
    for nip in nips:
        target = folder / nip
        target.mkdir(parents=True, exist_ok=True)
        for endpoint in ENDPOINTS:
            url = f"{settings.base_url.rstrip('/')}/pns/{endpoint}/{nip}"
            status, body, _retry = _get(url, headers, settings)
            where = f"{nip}/{endpoint}.json"
            if status == 200:
                (target / f"{endpoint}.json").write_bytes(body)
            elif status in (401, 403):
                raise FetchError(
                    f"SIASN refused the tokens (HTTP {status}) for {endpoint}; check {TOKEN_ENV} and {SSO_ENV}"
                )
            elif status == 404:
                # No data-utama means no such civil servant; a missing history is only unknown.
                kind: Kind = "error" if endpoint == "data-utama" else "review"
                findings.append(Finding(nip, kind, "not_served", where, args={"status": "404"}))
            else:
                findings.append(
                    Finding(
                        nip,
                        "error",
                        "fetch_failed",
                        where,
                        args={
                            "status": str(status or "no connection"),
                            "detail": body[:120].decode("utf-8", "replace"),
                        },
                    )
                )
    return findings
