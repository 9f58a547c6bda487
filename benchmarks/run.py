"""twilint against ESLint and oxlint on the same files, in one run.

    .venv/bin/python benchmarks/run.py                  # corpus comparison
    .venv/bin/python benchmarks/run.py --fleet --scale  # + 10,000-file fleet, + twilint scale runs

See benchmarks/README.md for what is measured and how to read it.
"""

from __future__ import annotations

import argparse
import collections
import datetime as _dt
import hashlib
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
import peers as peers_mod  # noqa: E402
import synth  # noqa: E402

SKIP_DIRS = {"node_modules", ".git", ".hg", ".svn"}
CORPUS_NAME = "function-templates"
FALLBACK_FILES, FALLBACK_PROJECTS = 250, 5


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- corpus


def corpus_files(root: Path) -> list[str]:
    """Every .js file with a `functions` or `assets` folder in its path (the handler and asset
    files parsers.md measured), relative to `root`, sorted; node_modules and VCS folders skipped."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        rel_dir = Path(dirpath).relative_to(root)
        if not ({"functions", "assets"} & set(rel_dir.parts)):
            continue
        for name in filenames:
            if name.endswith(".js"):
                out.append(str(rel_dir / name))
    return sorted(out)


def find_corpus(args, cache: Path) -> tuple[str, Path, list[str], dict]:
    """(label, root, files, info): --corpus, else a cached copy, else the synthetic generator."""
    candidates = []
    if args.corpus:
        candidates.append(Path(args.corpus))
    else:
        env = os.environ.get("TWILINT_BENCH_CORPUS")
        if env:
            candidates.append(Path(env))
        candidates.append(cache / "corpus" / CORPUS_NAME)
    for root in candidates:
        root = root.expanduser().resolve()
        if root.is_dir():
            files = corpus_files(root)
            if files:
                info = {"kind": "folder", "path": str(root), "revision": _git_rev(root)}
                return root.name, root, files, info
            if args.corpus:
                sys.exit(f"run.py: no .js files under functions/ or assets/ folders in {root}")
        elif args.corpus:
            sys.exit(f"run.py: --corpus {root}: not a folder")
    log(f"no corpus given or cached (looked in {candidates[-1]}); using the synthetic generator")
    root, paths = synth.cached_fleet(cache, FALLBACK_FILES, FALLBACK_PROJECTS)
    info = {"kind": "synthetic", "path": str(root), "files": FALLBACK_FILES, "projects": FALLBACK_PROJECTS,
            "generator": synth.GENERATOR_VERSION}
    return f"synthetic-{FALLBACK_FILES}", root, [str(p.relative_to(root)) for p in paths], info


def _git_rev(path: Path) -> str | None:
    """The commit of a checkout at exactly `path` (not of a repository around it)."""
    if not (path / ".git").exists():
        return None
    try:
        out = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


# --------------------------------------------------------------------------- tools


class Tool:
    """A command over a file list; `info` runs it once (untimed) with machine output."""

    def __init__(self, name: str, build, info_fmt: str | None, parse_info, ratio: bool = True):
        self.name = name
        self.build = build  # (files, fmt, out_path) -> argv
        self.info_fmt = info_fmt
        self.parse_info = parse_info  # (stdout text) -> dict
        self.ratio = ratio


def twilint_cmd(args) -> list[str]:
    if args.twilint:
        return args.twilint.split()
    script = Path(sys.executable).parent / "twilint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "twilint"]


_HELP: str | None = None


def twilint_supports(args, flag: str) -> bool:
    global _HELP
    if _HELP is None:
        _HELP = subprocess.run(twilint_cmd(args) + ["check", "--help"], capture_output=True, text=True).stdout
    return flag in _HELP


def twilint_cold_flags(args) -> list[str]:
    """`--no-cache` when twilint has a result cache, so that every timed run is cold."""
    return ["--no-cache"] if twilint_supports(args, "--no-cache") else []


def twilint_tool(args, label="twilint", folders: list[str] | None = None, cache_dir: Path | None = None) -> Tool:
    """`cache_dir`: a warm run instead (the untimed first run fills the cache)."""
    flags = ["--cache-dir", str(cache_dir)] if cache_dir is not None else twilint_cold_flags(args)
    base = twilint_cmd(args) + ["check", "--exit-zero", "--no-color"] + flags

    def build(files, fmt, out):
        cmd = list(base)
        if fmt:
            cmd += ["--format", fmt, "--output-file", str(out)]
        return cmd + (folders if folders is not None else files)

    def parse(text):
        data = json.loads(text)
        rules = collections.Counter(d["rule"] for d in data["diagnostics"])
        bad = [d for d in data["diagnostics"] if d["rule"] in ("internal-error", "io-error")]
        return {
            "files_linted": data["summary"]["files"],
            "findings": sum(v for k, v in rules.items() if k not in ("internal-error", "io-error")),
            "by_rule": dict(rules.most_common()),
            "skipped": data["skipped"],
            "errors": data["errors"] + [f"{d['path']}:{d['line']}:{d['column']}: {d['rule']}: {d['message']}" for d in bad],
        }

    return Tool(label, build, "json", parse, ratio=folders is None and cache_dir is None)


def eslint_tool(p: peers_mod.Peers) -> Tool:
    def parse(text):
        data = json.loads(text)
        rules = collections.Counter(m.get("ruleId") or "(no rule)" for r in data for m in r["messages"])
        fatal = [f"{r['filePath']}:{m.get('line')}: {m['message']}" for r in data for m in r["messages"] if m.get("fatal")]
        ours = {k: v for k, v in rules.items() if k in peers_mod.ESLINT_RULES}
        return {
            "files_linted": len(data),
            "findings": sum(ours.values()),
            "by_rule": dict(rules.most_common()),
            "other_messages": sum(v for k, v in rules.items() if k not in peers_mod.ESLINT_RULES),
            "errors": fatal,
        }

    return Tool("eslint", lambda files, fmt, out: p.eslint_cmd(files, fmt), "json", parse)


def oxlint_tool(p: peers_mod.Peers) -> Tool:
    def parse(text):
        data = json.loads(text)
        rules = collections.Counter(d.get("code") or "(no code)" for d in data["diagnostics"])
        return {
            "files_linted": data.get("number_of_files"),
            "findings": sum(rules.values()),
            "by_rule": dict(rules.most_common()),
            "threads": data.get("threads_count"),
            "errors": [],
        }

    return Tool("oxlint", lambda files, fmt, out: p.oxlint_cmd(files, fmt), "json", parse)


def parse_floor_tool(list_file: Path) -> Tool:
    cmd = [sys.executable, str(HERE / "measure.py"), str(list_file)]
    return Tool("tree-sitter parse (fresh process)", lambda files, fmt, out: cmd, None, None, ratio=False)


# --------------------------------------------------------------------------- one dataset


def bench_dataset(name: str, root: Path, files: list[str], tools: list[Tool], runs: int, env: dict,
                  tree_sample: bool) -> dict:
    log(f"\n== {name}: {len(files)} files under {root}")
    result: dict = {"name": name, "root": str(root), "files": len(files), "load_average_before": list(os.getloadavg()),
                    "bytes": sum((root / f).stat().st_size for f in files), "tools": {}}
    with tempfile.TemporaryDirectory(prefix="twilint-bench-") as tmp:
        # Untimed first run of each tool: warms the page cache and collects what it found.
        for tool in tools:
            entry = result["tools"].setdefault(tool.name, {})
            entry["command"] = " ".join(shlex.quote(x) for x in tool.build(["<FILES>"], None, None))
            out = Path(tmp) / f"{tool.name.replace(' ', '_')}.out"
            if tool.info_fmt is None:
                measure.run_once(tool.build(files, None, out), root, env)
                continue
            cmd = tool.build(files, tool.info_fmt, out)
            r = measure.run_once(cmd, root, env, stdout=None if tool.name.startswith("twilint") else out)
            entry["info_exit_code"] = r.rc
            try:
                entry.update(tool.parse_info(out.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError) as exc:
                entry["errors"] = [f"could not read its output ({exc}); exit {r.rc}; stderr: {r.stderr.strip()[-1500:]}"]
            if r.stderr.strip():
                entry["stderr_tail"] = r.stderr.strip()[-1500:]
            for e in entry.get("errors", [])[:20]:
                log(f"   {tool.name}: {e}")
        # Timed runs, interleaved so that drift on the machine hits every tool alike.
        series = {t.name: measure.Series() for t in tools}
        for i in range(runs):
            for tool in tools:
                r = measure.run_once(tool.build(files, None, None), root, env)
                series[tool.name].runs.append(r)
            log(f"   run {i + 1}/{runs}: " + ", ".join(f"{t.name} {series[t.name].runs[-1].wall:.2f}s" for t in tools))
        if tree_sample:
            for tool in tools:
                peak, _ = measure.tree_peak(tool.build(files, None, None), root, env)
                series[tool.name].tree_peak_kb = peak
        for tool in tools:
            result["tools"][tool.name].update(series[tool.name].summary())
    result["load_average_after"] = list(os.getloadavg())
    log(f"   tree-sitter parse-only, in-process ({runs} passes)")
    result["parse_only_in_process"] = measure.parse_only([root / f for f in files], runs)
    skipped = {str((root / s["path"]).resolve()) for s in result["tools"].get("twilint", {}).get("skipped", [])}
    if skipped:
        kept = [root / f for f in files if str((root / f).resolve()) not in skipped]
        log(f"   the same without the {len(files) - len(kept)} file(s) twilint skips")
        result["parse_only_in_process_twilint_files"] = measure.parse_only(kept, runs)
    return result


# --------------------------------------------------------------------------- reporting


def _mb(v) -> str:
    return "-" if v is None else f"{v:,.0f} MB"


def print_dataset(res: dict) -> None:
    tools = res["tools"]
    tw = tools.get("twilint", {}).get("median_s")
    print(f"\n{res['name']}: {res['files']} files passed to each tool ({res['bytes'] / 1e6:.2f} MB), "
          f"median of {len(next(iter(tools.values()))['runs_s'])} runs; load average "
          f"{res['load_average_before'][0]:.1f} before, {res['load_average_after'][0]:.1f} after")
    head = (f"{'tool':<36} {'files':>7} {'median wall':>12} {'peer/twilint':>13} {'CPU':>8} {'peak RSS':>10} "
            f"{'tree RSS':>10} {'findings':>9}")
    print(head)
    print("-" * len(head))
    cpu_tw = tools.get("twilint", {}).get("median_cpu_s")
    for name, t in tools.items():
        ratio = "-"
        if tw and name not in ("twilint",) and not name.startswith("twilint") and not name.startswith("tree-sitter"):
            ratio = f"{t['median_s'] / tw:.2f}x"
        elif name == "twilint":
            ratio = "1.00x"
        files = t.get("files_linted")
        print(f"{name:<36} {files if files is not None else res['files']:>7} {t['median_s']:>11.3f}s {ratio:>13} "
              f"{t['median_cpu_s']:>7.2f}s {_mb(t['peak_rss_largest_process_mb']):>10} {_mb(t['peak_rss_tree_sampled_mb']):>10} "
              f"{t.get('findings', '-')!s:>9}")
    po = res["parse_only_in_process"]
    print(f"{'tree-sitter parse-only (in-process)':<36} {po['files']:>7} {po['median_s']:>11.3f}s {'':>13} "
          f"{po['median_cpu_s']:>7.2f}s")
    po2 = res.get("parse_only_in_process_twilint_files")
    if po2:
        print(f"{'  ... only the files twilint parses':<36} {po2['files']:>7} {po2['median_s']:>11.3f}s {'':>13} "
              f"{po2['median_cpu_s']:>7.2f}s   (twilint skips minified bundles)")
    if tw:
        fresh = tools.get("tree-sitter parse (fresh process)")
        print(f"twilint / parse-only (in-process): {tw / po['median_s']:.2f}x"
              + (f"; twilint / parse (fresh process, with Python startup): {tw / fresh['median_s']:.2f}x" if fresh else ""))
        res["ratios"] = {
            name: round(t["median_s"] / tw, 3) for name, t in tools.items() if name in ("eslint", "oxlint")
        }
        if cpu_tw:
            res["cpu_ratios"] = {name: round(t["median_cpu_s"] / cpu_tw, 3) for name, t in tools.items()
                                 if name in ("eslint", "oxlint")}
            res["cpu_ratios"]["twilint/parse_only_in_process"] = round(cpu_tw / max(po["median_cpu_s"], 1e-9), 3)
            print("CPU-time ratios (less sensitive to a busy machine): "
                  + ", ".join(f"{k}/twilint {v:.2f}x" if "/" not in k else f"{k} {v:.2f}x"
                              for k, v in res["cpu_ratios"].items()))
        res["ratios"]["twilint/parse_only_in_process"] = round(tw / po["median_s"], 3)
        warm = tools.get("twilint (warm cache)")
        if warm:
            res["ratios"]["twilint_cold/twilint_warm"] = round(tw / warm["median_s"], 3)
            print(f"twilint cold / warm cache (nothing changed): {tw / warm['median_s']:.2f}x")
        if po2:
            res["ratios"]["twilint/parse_only_in_process_same_files_as_twilint"] = round(tw / po2["median_s"], 3)
            print(f"twilint / parse-only of only the files twilint parses (in-process): {tw / po2['median_s']:.2f}x")
        if fresh:
            res["ratios"]["twilint/parse_fresh_process"] = round(tw / fresh["median_s"], 3)
        if "eslint" in tools:
            print(f"issue 9 targets: eslint/twilint >= 8x: {'met' if res['ratios']['eslint'] >= 8 else 'NOT met'} "
                  f"({res['ratios']['eslint']:.2f}x); twilint/parse-only <= 2x: "
                  f"{'met' if res['ratios']['twilint/parse_only_in_process'] <= 2 else 'NOT met'} "
                  f"({res['ratios']['twilint/parse_only_in_process']:.2f}x)")


def bench_scale(args, cache: Path, env: dict) -> list[dict]:
    sizes = [int(x) for x in args.scale_sizes.split(",")]
    runs = args.scale_runs
    base = twilint_cmd(args) + ["check", "--exit-zero", "--no-color"] + twilint_cold_flags(args)
    rows = []
    log(f"\n== scale: twilint alone on synthetic fleets of {sizes} JS files ({runs} runs each)")
    for n in sizes:
        root, paths = synth.cached_fleet(cache, n)
        cmd = base + ["."]
        with tempfile.TemporaryDirectory(prefix="twilint-bench-") as tmp:
            out = Path(tmp) / "out.json"
            r = measure.run_once(base + ["--format", "json", "--output-file", str(out), "."], root, env)
            try:
                data = json.loads(out.read_text(encoding="utf-8"))
                checked = data["summary"]["files"]
                errors = data["errors"] + [d for d in data["diagnostics"] if d["rule"] in ("internal-error", "io-error")]
            except (OSError, ValueError, KeyError):
                checked, errors = None, [f"no JSON output; exit {r.rc}; {r.stderr[-500:]}"]
        s = measure.Series()
        load = os.getloadavg()[0]
        for _ in range(runs):
            s.runs.append(measure.run_once(cmd, root, env))
        peak, _ = measure.tree_peak(cmd, root, env)
        s.tree_peak_kb = peak
        row = {"js_files": len(paths), "projects": len({Path(p).relative_to(root).parts[0] for p in paths}),
               "files_checked": checked, "errors": errors, "load_average_before": round(load, 2), **s.summary()}
        rows.append(row)
        log(f"   {n} files: {s.median:.3f}s")
    base_t = rows[0]["median_s"] if rows and rows[0]["js_files"] == 1 else None
    print(f"\nscale: `twilint check .` on synthetic fleets (about {synth.FILES_PER_PROJECT} JS files a project), "
          f"median of {runs} runs")
    head = (f"{'JS files':>9} {'projects':>8} {'checked':>8} {'median wall':>12} {'CPU':>8} {'ms/file':>8} "
            f"{'marginal ms/file':>17} {'peak RSS':>9} {'tree RSS':>9}")
    print(head)
    print("-" * len(head))
    for row in rows:
        n = row["js_files"]
        per = row["median_s"] * 1000 / n
        marg = "-"
        if base_t is not None and n > 1:
            marg = f"{(row['median_s'] - base_t) * 1000 / (n - 1):.3f}"
            row["marginal_ms_per_file"] = float(marg)
        row["ms_per_file"] = round(per, 3)
        print(f"{n:>9} {row['projects']:>8} {row['files_checked']!s:>8} {row['median_s']:>11.3f}s "
              f"{row['median_cpu_s']:>7.2f}s {per:>8.2f} {marg:>17} "
              f"{_mb(row['peak_rss_largest_process_mb']):>9} {_mb(row['peak_rss_tree_sampled_mb']):>9}")
        for e in row["errors"][:10]:
            print(f"   error: {e}")
    print("(marginal = (time - time for 1 file) / (files - 1): the cost of one more file once started; load average "
          "before each size: " + ", ".join(f"{r['load_average_before']:.1f}" for r in rows) + ")")
    return rows


def src_digest() -> str:
    """A hash of twilint's source and platform data, to tell which code was measured."""
    digest = hashlib.sha256()
    for base in ("src", "rules"):
        for f in sorted((REPO / base).rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(str(f.relative_to(REPO)).encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


def machine_info(peer_versions: dict) -> dict:
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    if cpu is None and shutil.which("lscpu"):
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    tw = subprocess.run(twilint_cmd(ARGS) + ["--version"], capture_output=True, text=True)
    rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "rules"],
                           capture_output=True, text=True)
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "twilint_src_digest": src_digest(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu,
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "twilint": tw.stdout.strip() or tw.stderr.strip(),
        "twilint_commit": rev.stdout.strip() or None,
        "twilint_src_modified": bool(dirty.stdout.strip()) if dirty.returncode == 0 else None,
        **peer_versions,
    }


ARGS = None


def main(argv: list[str] | None = None) -> int:
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See benchmarks/README.md.")
    ap.add_argument("--corpus", metavar="DIR", help="a folder of Twilio Functions projects (e.g. a function-templates checkout)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5); the median is reported")
    ap.add_argument("--fleet", nargs="?", const=10000, type=int, metavar="N",
                    help="also compare all tools on a synthetic fleet of N JS files (default 10000)")
    ap.add_argument("--fleet-runs", type=int, default=3, help="timed runs per tool on the fleet (default 3)")
    ap.add_argument("--scale", action="store_true", help="also time twilint alone on synthetic 1/100/1,000/10,000-file fleets")
    ap.add_argument("--scale-sizes", default="1,100,1000,10000", help="comma-separated JS file counts for --scale")
    ap.add_argument("--scale-runs", type=int, default=3, help="timed runs per size for --scale (default 3)")
    ap.add_argument("--no-peers", action="store_true", help="skip ESLint and oxlint (no node/npm needed)")
    ap.add_argument("--no-folders", action="store_true", help="skip the extra `twilint check .` row")
    ap.add_argument("--no-tree-sample", action="store_true", help="skip the extra /proc-sampled memory run per tool")
    ap.add_argument("--twilint", metavar="CMD", help="twilint command to time (default: the one next to this Python)")
    ap.add_argument("--cache", type=Path, default=None,
                    help="cache folder (default $TWILINT_BENCH_CACHE or ~/.cache/twilint-bench)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write every number and the machine to FILE")
    args = ap.parse_args(argv)
    ARGS = args
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds, so running tools are stopped
    if args.runs < 1 or args.fleet_runs < 1 or args.scale_runs < 1:
        ap.error("runs must be at least 1")
    cache = (args.cache or peers_mod.default_cache()).expanduser().resolve()
    cache.mkdir(parents=True, exist_ok=True)

    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    # An installed twilint runs from bytecode (pip compiles a wheel's modules when it installs
    # it); an editable checkout gets its __pycache__ on first import unless
    # PYTHONDONTWRITEBYTECODE is set, and then recompiles every module on every start (~0.07 s).
    # Time what users run: compile once here, and let the tools use it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not args.twilint:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "twilint")], check=False)

    peer_versions: dict = {}
    p = None
    if not args.no_peers:
        try:
            p = peers_mod.ensure(cache, log)
            peer_versions = p.versions
        except peers_mod.PeerError as exc:
            log(f"run.py: peers unavailable, timing twilint alone: {exc}")

    report: dict = {"machine": machine_info(peer_versions), "datasets": [], "scale": None,
                    "peer_rules": {"eslint": peers_mod.ESLINT_RULES, "oxlint": peers_mod.OXLINT_RULES}}
    m = report["machine"]
    print(f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']}, Python {m['python']}, "
          f"node {m.get('node', '-')}; {m['twilint']} @ {m['twilint_commit']}"
          + (" (src modified)" if m["twilint_src_modified"] else "")
          + (f"; eslint {m['eslint']}, eslint-plugin-promise {m['eslint-plugin-promise']}, "
             f"eslint-plugin-n {m['eslint-plugin-n']}, oxlint {m['oxlint']}" if p else ""))

    if m["load_average_at_start"][0] > 0.5 * (m["nproc"] or 1):
        log(f"warning: load average {m['load_average_at_start'][0]:.1f} on {m['nproc']} CPUs: other work is running, "
            "so timings will be noisy (see the load averages printed with each table)")

    def tools_for(list_file: Path, folders_row: bool, warm_dir: Path) -> list[Tool]:
        ts = [twilint_tool(args)]
        if p is not None:
            ts += [eslint_tool(p), oxlint_tool(p)]
        ts.append(parse_floor_tool(list_file))
        if folders_row and not args.no_folders:
            ts.append(twilint_tool(args, "twilint (check . : folders)", ["."]))
        if twilint_supports(args, "--cache-dir"):
            ts.append(twilint_tool(args, "twilint (warm cache)", cache_dir=warm_dir))
        return ts

    label, root, files, info = find_corpus(args, cache)
    datasets = [(label, root, files, info, args.runs)]
    if args.fleet:
        froot, fpaths = synth.cached_fleet(cache, args.fleet)
        datasets.append((f"synthetic-fleet-{args.fleet}", froot, [str(x.relative_to(froot)) for x in fpaths],
                         {"kind": "synthetic", "path": str(froot), "files": args.fleet,
                          "generator": synth.GENERATOR_VERSION}, args.fleet_runs))
    for label, root, files, info, runs in datasets:
        with tempfile.TemporaryDirectory(prefix="twilint-bench-") as tmp:
            list_file = Path(tmp) / "files.txt"
            list_file.write_text("\n".join(str(root / f) for f in files) + "\n", encoding="utf-8")
            # On the fleet, `twilint check .` is what --scale times; not repeated here.
            tools = tools_for(list_file, info["kind"] != "synthetic" or len(datasets) == 1, Path(tmp) / "warm-cache")
            res = bench_dataset(label, root, files, tools, runs, env, not args.no_tree_sample)
        res["corpus"] = info
        print_dataset(res)
        report["datasets"].append(res)
    if args.scale:
        report["scale"] = bench_scale(args, cache, env)
    end_digest = src_digest()
    report["machine"]["twilint_src_digest_at_end"] = end_digest
    if end_digest != report["machine"]["twilint_src_digest"]:
        print("\nwarning: twilint's source changed while the benchmark ran: the runs measured different code, "
              "and warm-cache runs after the change were cold (the cache key includes twilint's code)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        log(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
