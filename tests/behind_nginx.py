"""nginx in front of app servers, as deploy/nginx.conf sets it up, and a browser that
talks to it over HTTPS: for tests/test_servers.py."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from .conftest import ROOT
from .factories import PASSWORD

HOST = "127.0.0.1"


def nginx_or_skip() -> str:
    """nginx's path; skip without it (or openssl), but fail where CI runs (.ci/run
    installs both and sets REQUIRE_POSTGRES=1)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    missing = [
        name
        for name, path in (("nginx", found), ("openssl", shutil.which("openssl")))
        if not path
    ]
    if missing:
        message = f"{' and '.join(missing)} not installed (Debian: apt-get install {' '.join(missing)})"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {message}")
        pytest.skip(message)
    return found


# --- nginx with deploy/nginx.conf ------------------------------------------------


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, as nginx would have Let's Encrypt's."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=hocso",
         "-addext", f"subjectAltName=IP:{HOST}", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def nginx_config(folder: Path, ports: dict[str, int], upstreams: list[str]) -> Path:
    """deploy/nginx.conf with its ports and paths filled in, in a main config that
    keeps everything of nginx's in ``folder``."""
    cert, key = certificate(folder)
    values = {
        "HOCSO_SERVERS": " ".join(f"server {u};" for u in upstreams),
        "HOCSO_DOMAIN": HOST,
        "HOCSO_HTTP_PORT": f"{HOST}:{ports['http']}",
        "HOCSO_HTTPS_PORT": f"{HOST}:{ports['https']}",
        "HOCSO_TLS_CERT": str(cert),
        "HOCSO_TLS_KEY": str(key),
        "HOCSO_LOG_DIR": str(folder),
    }
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = re.sub(r"\$\{(HOCSO_\w+)\}", lambda m: values[m.group(1)], site)
    (folder / "hocso.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{}}\n"
        f"http {{\n{temp}\n    include {folder / 'hocso.conf'};\n}}\n"
    )
    return main


def start_nginx(nginx: str, folder: Path, config: Path, port: int) -> subprocess.Popen:
    """nginx in the foreground, once it listens on ``port``."""
    log = folder / "error.log"
    process = subprocess.Popen(
        [nginx, "-e", str(log), "-p", str(folder), "-c", str(config)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, process, log)
    except BaseException:
        stop_nginx(process)
        raise
    return process


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited:\n{log.read_text(errors='replace')}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on {port}")


def stop_nginx(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Page:
    status: int
    location: str
    text: str

    def field(self, name: str) -> str:
        match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', self.text)
        assert match, f"no {name} on the page"
        return match.group(1)


class Browser:
    """One phone: its own cookies, over HTTPS to nginx."""

    def __init__(self, https: str, cafile: Path) -> None:
        self.https = https
        context = ssl.create_default_context(cafile=cafile)
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirects(),
        )
        self.csrf = ""
        self.referer = https + "/"

    def open(self, path: str, data: bytes | None = None, headers=None) -> Page:
        url = path if "://" in path else self.https + path
        # Over HTTPS, Flask-WTF checks that a form came from this site's own page.
        headers = {"Referer": self.referer, **(headers or {})}
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                status, headers, body = (
                    response.status,
                    response.headers,
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        page = Page(status, headers.get("Location", ""), body.decode())
        if data is None:
            self.referer = url
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        if found:
            self.csrf = found.group(1)
        return page

    def get(self, path: str) -> Page:
        return self.open(path)

    def post(self, path: str, fields: dict | list | None = None) -> Page:
        """POST a form: ``fields`` as a dict, or as (name, value) pairs."""
        pairs = list(fields.items() if isinstance(fields, dict) else fields or [])
        body = urllib.parse.urlencode([("csrf_token", self.csrf), *pairs])
        return self.open(path, body.encode())

    def upload(self, path: str, name: str, content: bytes) -> Page:
        boundary = secrets.token_hex(8)
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
                f"{self.csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f'name="file"; filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        kind = f"multipart/form-data; boundary={boundary}"
        return self.open(path, body, {"Content-Type": kind})

    def sign_in(self, login: str, password: str = PASSWORD) -> Page:
        if not self.csrf:
            self.get("/sign-in")
        return self.post("/sign-in", {"login": login, "password": password})
