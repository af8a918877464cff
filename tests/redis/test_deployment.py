"""The deployment example of docs/deployment.md, run for real: the systemd unit's command for two
workers on Redis, behind nginx with the shipped server block."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.redis.wsclient import Client
from tests.servers import ROOT, free_port

DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def unit_worker_command(port: int) -> tuple[list[str], dict[str, str]]:
    """ExecStart and Environment of deploy/systemd/hypergen@.service for the instance ``port``.

    The paths and module names of the example site are swapped for this repository's.
    """
    unit = (DEPLOY / "systemd" / "hypergen@.service").read_text()
    exec_start = re.search(r"^ExecStart=(.+)$", unit, re.MULTILINE).group(1)
    command = (
        exec_start.replace("%i", str(port))
        .replace("/srv/mysite/.venv/bin/python", sys.executable)
        .replace("mysite.asgi:application", "demo.asgi:application")
        .split()
    )
    environment = dict(line.split("=", 1) for line in re.findall(r"^Environment=(.+)$", unit, re.MULTILINE))
    return command, environment


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def deployment(redis_env: dict[str, str], redis_url: str, tmp_path: Path) -> Iterator[dict]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: run scripts/test, which installs Debian's nginx.")
    processes, logs = [], []
    ports = [free_port(), free_port()]
    for port in ports:
        command, environment = unit_worker_command(port)
        env = {**redis_env, **environment, "DJANGO_SETTINGS_MODULE": "tests.settings", "REDIS_URL": redis_url}
        log = open(tmp_path / f"worker-{port}.log", "wb")  # noqa: SIM115
        logs.append(log)
        processes.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
    proxy_port = free_port()
    server_block = (
        (DEPLOY / "nginx" / "hypergen.conf")
        .read_text()
        .replace("127.0.0.1:8001", f"127.0.0.1:{ports[0]}")
        .replace("127.0.0.1:8002", f"127.0.0.1:{ports[1]}")
        .replace("listen 8080;", f"listen 127.0.0.1:{proxy_port};")
    )
    (tmp_path / "hypergen.conf").write_text(server_block)
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"  fastcgi_temp_path {tmp_path}/f; uwsgi_temp_path {tmp_path}/u; scgi_temp_path {tmp_path}/s;\n"
        f"  include {tmp_path}/hypergen.conf; }}\n"
    )
    nginx = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)])
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/")
        wait_for(f"http://127.0.0.1:{proxy_port}/")
        yield {"url": f"http://127.0.0.1:{proxy_port}", "logs": [tmp_path / f"worker-{port}.log" for port in ports]}
    finally:
        nginx.terminate()
        nginx.wait()
        for process in processes:
            process.terminate()
            process.wait()
        for log in logs:
            log.close()


def test_two_workers_behind_nginx_serve_pages_and_one_group(deployment) -> None:
    page = urllib.request.urlopen(deployment["url"] + "/counter/").read().decode()
    assert '<input id="count" value="0" disabled>' in page
    ws = deployment["url"].replace("http://", "ws://") + "/ws/rooms/deployed/"
    first, second = Client(ws), Client(ws)  # least_conn sends them to different workers.
    try:
        first.send("through nginx")
        expected = [["hypergen.append", "messages", "<li>through nginx</li>"]]
        assert first.commands() == expected
        assert second.commands() == expected
    finally:
        first.close()
        second.close()
    connects = [len(re.findall(r"\"WSCONNECT /", log.read_text())) for log in deployment["logs"]]
    assert connects == [1, 1], f"each worker should have served one socket, got {connects}"


def test_the_unit_file_runs_daphne_with_proxy_headers() -> None:
    command, environment = unit_worker_command(8123)
    assert command[1:3] == ["-m", "daphne"] and "--proxy-headers" in command and "8123" in command
    assert json.dumps(environment)  # Plain KEY=value pairs.
    assert environment["REDIS_URL"].startswith("redis://")
