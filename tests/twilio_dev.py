"""The real local runtime for tests: pinned `twilio-run` + `@twilio/runtime-handler`, installed
with npm into a cache folder, serving a project on a loopback port.

    exe = install_twilio_run()            # pytest.skip without node/npm; fails if npm install fails
    with serve(exe, project_dir) as base: # "http://127.0.0.1:PORT"; the project gets node_modules
        status, body = call(base, "hello")
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

TWILIO_RUN = "5.0.1"
RUNTIME_HANDLER = "2.0.1"


def cache_root() -> Path:
    base = os.environ.get("TWILINT_TEST_CACHE")
    return Path(base) if base else Path.home() / ".cache" / "twilint-tests"


def install_twilio_run(extra: tuple[str, ...] = ()) -> Path:
    """The `twilio-run` executable; ``extra`` npm packages (pinned specs) are installed beside it."""
    if not shutil.which("npm") or not shutil.which("node"):
        pytest.skip("node and npm are needed to run the twilio-run dev server")
    tag = "-".join(x.replace("/", "_").replace("@", "") for x in extra)
    folder = cache_root() / (f"twilio-run-{TWILIO_RUN}-rh-{RUNTIME_HANDLER}" + (f"-{tag}" if tag else ""))
    exe = folder / "node_modules" / ".bin" / "twilio-run"
    folder.mkdir(parents=True, exist_ok=True)
    import fcntl

    # parallel test workers (pytest -n) share the cache: one installs, the others wait
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".installed").exists():
            r = subprocess.run(
                ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(folder),
                 f"twilio-run@{TWILIO_RUN}", f"@twilio/runtime-handler@{RUNTIME_HANDLER}", *extra],
                capture_output=True, timeout=600,
            )
            assert r.returncode == 0, r.stderr.decode()[-2000:]
            (folder / ".installed").write_text("ok\n")
    assert exe.exists()
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(exe: Path, project: Path, probe: str = "/", timeout: float = 90):
    """Serve ``project`` with `twilio-run start`; yields the base URL once ``probe`` answers
    (any HTTP status counts). The project gets a `node_modules` link to the cached install (as
    after `npm install`), so twilio-run uses the installed runtime-handler dev runtime."""
    nm = project / "node_modules"
    if not nm.exists():
        os.symlink(exe.parent.parent, nm)
    port = free_port()
    env = dict(os.environ, NO_UPDATE_NOTIFIER="1", CI="true", FORCE_COLOR="0")
    proc = subprocess.Popen(
        [str(exe), "start", "--port", str(port), "--cwd", str(project)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail("twilio-run exited: " + proc.stdout.read().decode()[-2000:])
            try:
                urllib.request.urlopen(base + probe, timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # it answered
            except (OSError, urllib.error.URLError):
                if time.time() > deadline:
                    pytest.fail("twilio-run did not start listening")
                time.sleep(0.3)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)


def call(base: str, name: str, headers: dict | None = None, timeout: float = 4.0, data: bytes | None = None):
    """(status, body), or ("hang", "") when nothing answers within ``timeout`` seconds."""
    req = urllib.request.Request(f"{base}/{name.lstrip('/')}", headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (TimeoutError, socket.timeout):
        return "hang", ""
    except urllib.error.URLError as e:
        if isinstance(e.reason, (TimeoutError, socket.timeout)):
            return "hang", ""
        raise
