"""Timing and memory of one command, and tree-sitter's parse-only floor.

Wall time is `time.perf_counter()` from just before the tool's process is forked to just after
it is reaped, so the tool's interpreter/Node start-up is included.

Peak memory, two ways:
- ``maxrss``: the kernel's high-water mark returned by ``os.wait4`` for the spawned process. On
  Linux it is the larger of the process's own peak RSS and that of the biggest descendant it
  reaped, i.e. the largest single process of the tree (exact, no sampling, no overhead). Every
  command is started by the small ``_launch.py`` (see there why), which also times it: wall time
  excludes the launcher's own start-up, and RSS values below about 6 MB are the launcher's floor.
- ``tree_rss``: the peak of the summed RSS of the process and all its live descendants, sampled
  from /proc every few milliseconds in a separate, untimed run. This is the number that matters
  once a tool runs worker processes, whose peaks ``maxrss`` does not add up.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Run:
    wall: float
    maxrss_kb: int
    rc: int
    stderr: str = ""
    cpu: float = float("nan")  # user + system seconds of the tool and its reaped children


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)
    tree_peak_kb: int | None = None

    @property
    def walls(self) -> list[float]:
        return [r.wall for r in self.runs]

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def maxrss_kb(self) -> int:
        return max(r.maxrss_kb for r in self.runs)

    def summary(self) -> dict:
        w = self.walls
        return {
            "median_s": round(self.median, 4),
            "min_s": round(min(w), 4),
            "max_s": round(max(w), 4),
            "runs_s": [round(x, 4) for x in w],
            "median_cpu_s": round(statistics.median(r.cpu for r in self.runs), 4),
            "peak_rss_largest_process_mb": round(self.maxrss_kb / 1024, 1),
            "peak_rss_tree_sampled_mb": None if self.tree_peak_kb is None else round(self.tree_peak_kb / 1024, 1),
            "exit_codes": sorted({r.rc for r in self.runs}),
        }


LAUNCHER = Path(__file__).resolve().parent / "_launch.py"


def _launch_cmd(cmd: list[str], result: str) -> list[str]:
    return [sys.executable, "-S", "-E", str(LAUNCHER), result] + cmd


def _read_result(path: str, stderr) -> Run:
    import json

    stderr.seek(0)
    tail = stderr.read()[-4000:].decode("utf-8", "replace")
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return Run(float("nan"), 0, -1, "launcher failed: " + tail)
    return Run(data["wall"], int(data["maxrss_kb"]), int(data["rc"]), tail, data["user"] + data["sys"])


def run_once(cmd: list[str], cwd: Path, env: dict | None = None, stdout=None) -> Run:
    """Runs `cmd` once through the launcher; stdout goes to `stdout` (a path) or /dev/null,
    stderr is kept (its tail)."""
    with tempfile.TemporaryDirectory(prefix="twilint-bench-run-") as tmp, \
            tempfile.TemporaryFile() as err, open(stdout or os.devnull, "wb") as out:
        result = os.path.join(tmp, "result.json")
        proc = subprocess.Popen(_launch_cmd(cmd, result), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=err, start_new_session=True)
        try:
            proc.wait()
        except BaseException:
            _kill_group(proc)
            raise
        return _read_result(result, err)


def _kill_group(proc: subprocess.Popen) -> None:
    """Stops the launcher and everything it started (they share one new session/process group)."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        rest = stat[stat.rfind(b")") + 2:].split()
        kids.setdefault(int(rest[1]), []).append(int(name))
    return kids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE // 1024
    except (OSError, IndexError, ValueError):
        return 0


def tree_peak(cmd: list[str], cwd: Path, env: dict | None = None, interval: float = 0.004) -> tuple[int, Run]:
    """Runs `cmd` once while sampling the summed RSS of its process tree (the launcher itself not
    counted); returns (peak KB, run)."""
    if not os.path.isdir("/proc"):
        r = run_once(cmd, cwd, env)
        return r.maxrss_kb, r
    peak = 0
    with tempfile.TemporaryDirectory(prefix="twilint-bench-run-") as tmp, tempfile.TemporaryFile() as err:
        result = os.path.join(tmp, "result.json")
        proc = subprocess.Popen(_launch_cmd(cmd, result), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            while proc.poll() is None:
                kids = _children_map()
                total, todo = 0, list(kids.get(proc.pid, ()))
                while todo:
                    p = todo.pop()
                    total += _rss_kb(p)
                    todo.extend(kids.get(p, ()))
                peak = max(peak, total)
                time.sleep(interval)
        except BaseException:
            _kill_group(proc)
            raise
        run = _read_result(result, err)
    return max(peak, run.maxrss_kb), run


# --------------------------------------------------------------------------- tree-sitter floor


def parse_only(paths: list[Path], runs: int) -> dict:
    """Parses every file once per pass with tree-sitter-javascript, contents preloaded."""
    import tree_sitter as ts
    import tree_sitter_javascript as tsjs

    parser = ts.Parser(ts.Language(tsjs.language()))
    blobs = [p.read_bytes() for p in paths]
    times, cpu = [], []
    errors = 0
    for i in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        for data in blobs:
            tree = parser.parse(data)
            if i == 0 and tree.root_node.has_error:
                errors += 1
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        del tree
    return {
        "files": len(blobs),
        "bytes": sum(len(b) for b in blobs),
        "median_s": round(statistics.median(times), 4),
        "runs_s": [round(t, 4) for t in times],
        "median_cpu_s": round(statistics.median(cpu), 4),
        "files_with_errors": errors,
    }


def parse_worker(list_file: str) -> None:
    """`python measure.py LISTFILE`: a fresh process that imports tree-sitter and parses each file once."""
    import tree_sitter as ts
    import tree_sitter_javascript as tsjs

    parser = ts.Parser(ts.Language(tsjs.language()))
    with open(list_file, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line:
                with open(line, "rb") as src:
                    parser.parse(src.read())


if __name__ == "__main__":
    parse_worker(sys.argv[1])
