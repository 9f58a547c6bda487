"""What the handler-contract rules claim, checked against the real local runtime.

Installs pinned `twilio-run` (with `@twilio/runtime-handler`) into a cache folder with npm, serves
fixtures/runtime-behaviour on a loopback port, calls one function per pattern, and checks both what
happens and that twilint flags exactly the broken patterns.
"""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import FIXTURES, lint
from twilio_dev import call, install_twilio_run, serve

pytestmark = [pytest.mark.slow, pytest.mark.npm]

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    exe = install_twilio_run()
    project = tmp_path_factory.mktemp("behaviour") / "project"
    shutil.copytree(FIXTURES / "runtime-behaviour", project)
    markers = project.parent / "markers"
    markers.mkdir()
    (project / ".env").write_text(f"MARKER_DIR={markers}\n")
    with serve(exe, project, probe="/ping") as base:
        yield base, markers


def test_local_runtime_behaviour(server):
    base, markers = server
    answering = ["after-callback", "before-await", "awaited", "with-catch", "sync-throws"]
    hanging = ["no-catch", "await-no-try", "never-calls", "async-returns"]
    results = {n: call(base, n) for n in answering}
    headers = call(base, "lowercase-headers", {"X-Test-Header": "v"})
    with ThreadPoolExecutor(len(hanging)) as pool:
        futures = {n: pool.submit(call, base, n) for n in hanging}
        results.update({n: f.result() for n, f in futures.items()})
    time.sleep(1.0)  # let any surviving timers fire
    ran = {p.name for p in markers.iterdir()}

    # callback() ends the invocation: pending work is stopped, awaited work is not
    assert results["after-callback"] == (200, "done") and "after-callback" not in ran
    assert results["before-await"] == (200, "done") and "before-await" not in ran
    assert results["awaited"] == (200, "done") and "awaited" in ran
    # a rejection that never reaches callback: production runs to the 10 s limit [002:599][002:7420];
    # the local runtime-handler dev server turns the unhandled rejection into a 500, which hides it
    assert results["no-catch"][0] == 500 and "boom" in results["no-catch"][1]
    assert results["await-no-try"][0] == 500
    assert results["with-catch"][0] == 500
    # no callback: no response, even when an async handler returns a value
    assert results["never-calls"][0] == "hang"
    assert results["async-returns"][0] == "hang"
    # a synchronous throw is an error response
    assert results["sync-throws"][0] == 500
    # header names arrive lowercased
    status, body = headers
    assert status == 200 and json.loads(body) == {"upper": None, "lower": "v"}


def test_twilint_flags_exactly_the_broken_patterns():
    rules = ["callback-before-await", "missing-catch", "callback-not-called", "code-after-callback",
             "await-in-sync-handler", "lowercase-header-access"]
    result, _ = lint([FIXTURES / "runtime-behaviour"], select=rules)
    found = sorted((Path(d.path).stem, d.rule) for d in result.diagnostics)
    assert found == [
        ("after-callback", "code-after-callback"),
        ("async-returns", "callback-not-called"),
        ("await-no-try", "missing-catch"),
        ("before-await", "callback-before-await"),
        ("lowercase-headers", "lowercase-header-access"),
        ("never-calls", "callback-not-called"),
        ("no-catch", "missing-catch"),
    ]
