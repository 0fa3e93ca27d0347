"""OSS RBA tests: the simulator (deploy/oss_simulator) runs as a real process on a free port."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.services import ROOT, free_port, stop, wait_for_port


class Simulator:
    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.state = tmp / "oss-sim.jsonl"
        self.proc = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "deploy.oss_simulator.server", "--port", str(self.port),
                                      "--state", str(self.state)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None

    def _call(self, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    def mode(self, mode: str, delay: float = 0) -> None:
        self._call("/_sim/mode", {"mode": mode, "delay": delay})

    def received(self, method: str | None = None) -> list[dict]:
        rows = self._call("/_sim/received")["received"]
        return [r for r in rows if method is None or r["method"] == method]

    def nib(self, *, seed: int, checklist: list[tuple[str, str]], pj_nik: str = "") -> dict:
        items = ",".join(f"{daerah}:{kd}" for daerah, kd in checklist)
        return self._call(f"/_sim/nib?seed={seed}&checklist={items}&pj_nik={pj_nik}")


@pytest.fixture
def simulator(tmp_path, settings):
    sim = Simulator(tmp_path)
    sim.start()
    settings.OSS_BASE_URL = sim.url
    settings.OSS_USER_KEY = "kunci-pintu-di-oss"
    settings.OSS_SEND_EAGER = True  # tests drive the sender themselves (no broker task queued)
    settings.OSS_TIMEOUT_SECONDS = 2
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def apex(client_for):
    """A client on the apex domain, where OSS calls /oss/receiveNIB."""
    return client_for(None)


@pytest.fixture
def keys(trenggalek, blitar):
    from permits.oss.credentials import oss_user_key_rotate

    return {"3503": oss_user_key_rotate(regency=trenggalek), "3572": oss_user_key_rotate(regency=blitar)}
