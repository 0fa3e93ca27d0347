"""An OSS RBA simulator: a real HTTP server speaking the PIA 4.3.x shapes, for tests and the demo.

    python -m deploy.oss_simulator.server --port 11741 --state var/oss-sim.jsonl [--push URL --keys 3503=KEY,...]

OSS's side, as Pintu calls it (POST, JSON, `user_key` header): receiveLicenseStatus, receiveLicense,
updateLicense, checkLicenseStatus, inqueryNIB, getDataReferensi. What Pintu sent is recorded (kept in
the --state file, so a restart forgets nothing). Controls for tests (`/_sim/...`):
  POST /_sim/mode {"mode": "ok"|"slow"|"500"|"504", "delay": s}   504: recorded, then answers 504
  GET  /_sim/received                                             every call recorded, in order
  GET  /_sim/nib?seed=N&checklist=3503:KD,3572:KD&pj_nik=...      a generated receiveNIB body
  POST /_sim/push {"url":..., "user_key":..., "seed":..., "checklist":[...]}  send receiveNIB to Pintu
With --push, it sends a new business to each regency every --every seconds (the demo). "Down" is the
process stopped: tests stop and restart it on the same port.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from deploy.oss_simulator.generator import business, receive_nib_payload  # noqa: E402

RESPONSE_KEY = {  # PIA: the answer object of each method
    "receiveLicenseStatus": "responreceiveLicenseStatus", "receiveLicense": "responreceiveLicense",
    "updateLicense": "responupdateLicense", "checkLicenseStatus": "responcheckLicenseStatus",
    "inqueryNIB": "responinqueryNIB", "getDataReferensi": "respongetDataReferensi",
}
REFERENCES = {  # getDataReferensi: a few of the PIA's code tables (Lampiran 9, 10, 31)
    "9": [("200", "Sukses"), ("400", "Data Parameter Salah"), ("401", "User Akses Tidak Valid")],
    "10": [("10", "Dokumen Lengkap"), ("11", "Dokumen Belum Lengkap"), ("20", "Validasi"), ("40", "Inspeksi"),
           ("41", "Konfirmasi Persyaratan"), ("42", "Data Konfirmasi Persyaratan"),
           ("45", "Persyaratan terverifikasi"), ("50", "Disetujui"), ("90", "Ditolak"),
           ("93", "Penolakan Persyaratan")],
    "31": [("01", "Usaha Mikro"), ("02", "Usaha Kecil"), ("03", "Usaha Menengah"), ("04", "Usaha Besar")],
}


class State:
    def __init__(self, path: Path | None) -> None:
        self.lock = threading.Lock()
        self.mode, self.delay = "ok", 0.0
        self.received: list[dict] = []
        self.path = path
        if path and path.exists():
            self.received = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def record(self, method: str, body: dict, user_key: str) -> dict:
        with self.lock:
            entry = {"n": len(self.received) + 1, "at": time.time(), "method": method, "user_key": user_key,
                     "body": body}
            self.received.append(entry)
            if self.path:
                with self.path.open("a") as f:
                    f.write(json.dumps(entry) + "\n")
            return entry

    def latest(self, id_izin: str) -> dict:
        status, license_ = {}, {}
        for entry in self.received:
            body = entry["body"]
            if entry["method"] == "receiveLicenseStatus" and body.get("IZINSTATUS", {}).get("id_izin") == id_izin:
                status = body["IZINSTATUS"]
            if entry["method"] in ("receiveLicense", "updateLicense") and body.get("IZINFINAL", {}).get("id_izin") == id_izin:
                license_ = body["IZINFINAL"]
        return {"status": status, "license": license_}


class Handler(BaseHTTPRequestHandler):
    state: State
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet; the state is the log
        pass

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read(self) -> dict | None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return None

    def do_GET(self):  # noqa: N802
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/_sim/received":
            with self.state.lock:
                return self._send(200, {"received": list(self.state.received), "mode": self.state.mode})
        if url.path == "/_sim/nib":
            checklist = [dict(zip(("kd_daerah", "kd_izin"), part.split(":", 1)))
                         for part in query.get("checklist", "3503000000:KD").split(",") if ":" in part]
            return self._send(200, receive_nib_payload(int(query.get("seed", 1)), checklist=checklist,
                                                       home=query.get("home", "3503"),
                                                       pj_nik=query.get("pj_nik", "")))
        if url.path == "/_sim/health":
            return self._send(200, {"ok": True})
        return self._send(404, {"kode": 404, "keterangan": "Akses Service Tidak Ditemukan"})

    def do_POST(self):  # noqa: N802
        path = urllib.parse.urlparse(self.path).path
        body = self._read()
        if path == "/_sim/mode":
            with self.state.lock:
                self.state.mode = str((body or {}).get("mode", "ok"))
                self.state.delay = float((body or {}).get("delay", 0))
            return self._send(200, {"mode": self.state.mode})
        if path == "/_sim/reset":
            with self.state.lock:
                self.state.received.clear()
                if self.state.path:
                    self.state.path.write_text("")
            return self._send(200, {"ok": True})
        if path == "/_sim/push":
            return self._send(200, push(**(body or {})))
        method = path.strip("/").split("/")[-1]
        key = RESPONSE_KEY.get(method)
        if key is None:
            return self._send(404, {"kode": 404, "keterangan": "Akses Service Tidak Ditemukan"})
        user_key = self.headers.get("user_key", "")
        if not user_key:
            return self._send(401, {key: {"kode": 401, "keterangan": "User Akses Tidak Valid"}})
        if body is None:
            return self._send(400, {key: {"kode": 400, "keterangan": "Data Parameter Salah"}})
        mode, delay = self.state.mode, self.state.delay
        if mode == "slow":
            time.sleep(delay or 5)
        if mode == "500":
            return self._send(500, {key: {"kode": 500, "keterangan": "Proses Payload Data Di Sistem OSS Gagal"}})
        answer = self.answer(method, key, body, user_key)
        if mode == "504":  # processed, but the answer never made it back in time
            return self._send(504, {key: {"kode": 504, "keterangan": "Proses Payload Data Di Sistem OSS Timeout"}})
        return self._send(200, answer)

    def answer(self, method: str, key: str, body: dict, user_key: str) -> dict:
        if method == "receiveLicenseStatus":
            status = body.get("IZINSTATUS") or {}
            if not status.get("id_izin") or not status.get("kd_status"):
                return {key: {"kode": 400, "keterangan": "Data izin tidak ditemukan", "dataNIB": {}}}
            self.state.record(method, body, user_key)
            return {key: {"kode": 200, "keterangan": "Sukses", "dataNIB": {}}}
        if method in ("receiveLicense", "updateLicense"):
            final = body.get("IZINFINAL") or {}
            if not final.get("id_izin") or not final.get("nomor_izin"):
                return {key: {"kode": 400, "keterangan": "Data Parameter Salah"}}
            self.state.record(method, body, user_key)
            return {key: {"kode": 200, "keterangan": "Sukses", "nomor_izin": final["nomor_izin"][:30],
                          "jenis_perizinan": final.get("jenis_perizinan", ""), "file_lampiran": ""}}
        if method == "checkLicenseStatus":
            id_izin = (body.get("CHECKLICENSESTATUS") or {}).get("id_izin", "")
            latest = self.state.latest(id_izin)
            status = latest["status"]
            if not status and not latest["license"]:
                return {key: {"kode": 404, "keterangan": "Data izin tidak ditemukan", "dataIZIN": {"id_izin": id_izin}}}
            return {key: {"kode": 200, "keterangan": "Sukses", "dataIZIN": {
                "nib": status.get("nib", ""), "id_proyek": status.get("id_proyek", ""), "id_izin": id_izin,
                "kd_status": status.get("kd_status", ""), "uraian_status": status.get("nama_status", ""),
                "file_lampiran": latest["license"].get("file_izin", ""),
                "nomor_izin": latest["license"].get("nomor_izin", ""),
                "seq_pintu": status.get("seq_pintu", "")}}}
        if method == "inqueryNIB":
            nib = str((body.get("INQUERYNIB") or {}).get("nib", ""))
            if len(nib) != 13 or not nib.isdigit():
                return {key: {"kode": 400, "keterangan": "Data Parameter Salah"}}
            if nib.startswith("0"):  # the simulator's unknown NIBs
                return {key: {"kode": 404, "keterangan": "Data NIB tidak ditemukan"}}
            seed = int(nib) % 1000
            return {key: {"kode": 200, "keterangan": "Sukses",
                          "dataNIB": {**receive_nib_payload(seed, checklist=[])["dataNIB"], "nib": nib}}}
        if method == "getDataReferensi":
            code = str((body.get("GETDATAREFERENSI") or {}).get("kode", ""))
            rows = REFERENCES.get(code)
            if rows is None:
                return {key: {"kode": 404, "keterangan": "Data referensi tidak ditemukan"}}
            return {key: {"kode": 200, "keterangan": "Sukses", "dataReferensi": [
                {"kode_referensi": k, "uraian_referensi": v, "keterangan_referensi": ""} for k, v in rows]}}
        return {key: {"kode": 404, "keterangan": "Akses Service Tidak Ditemukan"}}


def push(*, url: str, user_key: str, seed: int = 1, checklist: list | None = None, home: str = "3503",
         pj_nik: str = "", host: str = "") -> dict:
    """Send one receiveNIB to Pintu (as OSS does), and say what Pintu answered."""
    body = json.dumps(receive_nib_payload(int(seed), checklist=checklist or [], home=home, pj_nik=pj_nik)).encode()
    headers = {"Content-Type": "application/json", "user_key": user_key}
    if host:
        headers["Host"] = host
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - a configured URL
            return {"status": response.status, "answer": json.loads(response.read() or b"{}")}
    except urllib.error.HTTPError as exc:
        return {"status": exc.code, "answer": json.loads(exc.read() or b"{}")}
    except (urllib.error.URLError, OSError) as exc:
        return {"status": 0, "error": str(exc)}


def demo_pusher(*, url: str, keys: dict[str, str], kd_izin: str, every: float) -> None:
    """The demo: a new business with a checklist for each regency that has a key, every `every` s."""
    seed = int(time.time()) % 100000
    while True:
        for code, key in keys.items():
            result = push(url=url, user_key=key, seed=seed, home=code,
                          checklist=[{"kd_daerah": f"{code}000000", "kd_izin": kd_izin,
                                      "nama_izin": "Izin Usaha Daerah (OSS)"}])
            print(f"oss-sim: receiveNIB {business(seed, home=code)['nama_perseroan']} -> {code}: {result}",
                  flush=True)
        seed += 1
        time.sleep(every)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=11741)
    parser.add_argument("--state", default="")
    parser.add_argument("--push", default="", help="Pintu's receiveNIB URL (the demo)")
    parser.add_argument("--keys", default="", help="code=user_key,... for --push")
    parser.add_argument("--kd-izin", default="OSS-DEMO-01")
    parser.add_argument("--every", type=float, default=60.0)
    args = parser.parse_args(argv)
    Handler.state = State(Path(args.state) if args.state else None)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    if args.push and args.keys:
        keys = dict(part.split("=", 1) for part in args.keys.split(",") if "=" in part)
        threading.Thread(target=demo_pusher, daemon=True,
                         kwargs={"url": args.push, "keys": keys, "kd_izin": args.kd_izin, "every": args.every}).start()
    print(f"oss-sim: listening on http://{args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
