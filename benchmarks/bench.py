"""Benchmark budgetkit at district scale against the python-calamine read floor (issues 6 and 10).

    python benchmarks/bench.py --workbooks 1600 --per-department 4 --jobs 2 [--markdown benchmarks/RESULTS.md]

Generates (or reuses) N realistic 决算 workbooks in a temp folder, then measures:
the floor (python-calamine reading every sheet, in a pool of --jobs processes);
``budgetkit run`` end to end in a child process (wall time, peak RSS), and its peak RSS
on a corpus of --flat-at workbooks (is memory flat in N?); read + recognise + reconcile
alone; each step of a worker's job in CPU ms per workbook; one department end to end
including interpreter start; one --big-rows-row table end to end; and the summary
writer with 10^5 findings against xlsxwriter alone. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from big_table import write_big_table  # noqa: E402
from corpus import CorpusSpec, cpu_count, default_cache, department_folders, describe, ensure_corpus  # noqa: E402
from measure import (  # noqa: E402
    REPO,
    ChildRun,
    best_of,
    budgetkit_command,
    cli_lists_option,
    compile_checkout,
    floor_seconds,
    heavy_imports,
    pipeline_seconds,
    run_child,
    serial_floor_seconds,
    step_costs,
    writer_times,
)

PACKAGES = ("python-calamine", "xlsxwriter", "xlwt", "openpyxl", "pandas", "typer", "rich")
# Issue 10's targets (and issue 6's summary-writer target), as (what, limit, strict): met when
# the measured value is below the limit (strict) or at most the limit.
TARGETS = {
    "run_vs_floor": ("`budgetkit run` end to end ÷ floor", 10.0, False),
    "pipeline_vs_floor": ("load + recognise + reconcile ÷ floor", 6.0, False),
    "rss_mb": ("peak RSS, MB (largest process)", 300.0, True),
    "rss_growth": ("peak RSS ÷ peak RSS at --flat-at workbooks", 1.2, False),
    "department_s": ("one department end to end, s", 1.0, True),
    "big_table_s": ("one long table end to end, s", 30.0, True),
    "big_table_mb": ("one long table, peak RSS, MB", 600.0, True),
    "writer_ratio": ("summary writer ÷ xlsxwriter alone (issue 6)", 1.3, False),
}
STEPS = (("floor", "calamine floor: every sheet's values and merged ranges"),
         ("read", "read: package check + calamine (read_grids)"),
         ("recognise", "recognise: find and build the tables (tables_of)"),
         ("reconcile", "reconcile: group and run every rule"),
         ("write", "write the department's 标注 copies (write_department_files)"))


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workbooks", "-n", type=int, default=1000, help="workbooks in the corpus (default 1000)")
    parser.add_argument("--jobs", "-j", type=int, default=cpu_count(),
                        help="worker processes for the floor and for budgetkit's --jobs (default: cores)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--per-department", type=int, default=10, help="workbooks per department folder")
    parser.add_argument("--errors", type=float, default=0.03, help="share of workbooks with a planted error")
    parser.add_argument("--findings", type=int, default=100_000,
                        help="findings in the summary-writer benchmark (0 skips it)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of budgetkit (and of load + recognise + reconcile) over the corpus; the best counts")
    parser.add_argument("--cache", type=Path, default=default_cache(), help="where corpora are kept between runs")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the corpus even if cached")
    parser.add_argument("--markdown", type=Path, help="also write the results as markdown to this file")
    parser.add_argument("--profile", type=Path,
                        help="also profile `python -m budgetkit run` on the corpus with pyinstrument (text report), "
                             "and the worker's job with cProfile (FILE with .workers before its suffix)")
    parser.add_argument("--flat-at", type=int, default=160,
                        help="also run on a corpus of this many workbooks and compare peak RSS (0 skips it)")
    parser.add_argument("--steps", type=int, default=200,
                        help="workbooks over which each step's CPU cost is measured (0 skips it)")
    parser.add_argument("--big-rows", type=int, default=200_000,
                        help="rows of the one-table department run end to end (0 skips it)")
    return parser.parse_args(argv)


def missing_packages() -> list[str]:
    """The corpus needs xlwt (in budgetkit's test extra) besides budgetkit's own dependencies."""
    wanted = {"python_calamine": "python-calamine", "xlsxwriter": "xlsxwriter", "xlwt": "xlwt", "typer": "typer"}
    missing = []
    for module, package in wanted.items():
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    return missing


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    missing = missing_packages()
    if missing:
        print(f"missing: {', '.join(missing)}; install with: pip install -e '.[test]'", file=sys.stderr)
        return 2
    spec = CorpusSpec(args.workbooks, args.seed, args.per_department, args.errors)
    folder, manifest, generated = ensure_corpus(spec, args.cache, cpu_count(), args.regenerate)
    print(f"corpus: {folder}\n        {describe(manifest)}; "
          + (f"generated in {generated:.1f} s" if generated is not None else "cached"), flush=True)
    paths = [str(folder / f["path"]) for f in manifest["files"]]
    jobs_supported = cli_lists_option("--jobs")
    jobs_args = ["--jobs", str(args.jobs)] if jobs_supported else []
    results = {"args": vars(args), "jobs_supported": jobs_supported, "load_before": _load_average()}
    with tempfile.TemporaryDirectory(prefix="budgetkit-bench-") as scratch:
        work = Path(scratch)
        _page_in(paths)
        compile_checkout()
        results["floor_s"] = floor_seconds(paths, args.jobs, repeat=5)
        results["floor_serial_s"] = serial_floor_seconds(paths[: min(len(paths), 200)], repeat=2) \
            * len(paths) / min(len(paths), 200)
        print(f"floor: {results['floor_s']:.2f} s with {args.jobs} processes", flush=True)
        outputs = (work / "summary.xlsx", work / "r.json")
        runs = [run_child(budgetkit_command("run", str(folder), "--out", str(outputs[0]), "--json", str(outputs[1]),
                                            *jobs_args), work, outputs=outputs)
                for _ in range(args.repeat)]
        run = min(runs, key=lambda r: r.seconds if r.ok else float("inf"))
        results["run"] = run
        results["findings"] = _findings(work / "r.json", manifest) if run.ok else {}
        print(f"budgetkit run: {run.seconds:.2f} s (exit {run.returncode})", flush=True)
        if args.flat_at:
            results["flat"] = _flat(args, work, jobs_args)
        results["pipeline"] = min((pipeline_seconds(folder, args.jobs) for _ in range(args.repeat)),
                                  key=lambda p: p.get("run_s", float("inf")))
        print(f"load + recognise + reconcile: {results['pipeline'].get('run_s', float('nan')):.2f} s", flush=True)
        if args.steps:
            results["steps"] = step_costs(folder, args.steps, _worker_profile(args.profile))
        results.update(_department(folder, work, jobs_args))
        if args.big_rows:
            results["big"] = _big_table(args, work, jobs_args)
        results.update(_startup(work))
        if args.findings:
            results["writer"] = writer_times(args.findings, work)
        if args.profile:
            results["profile"] = _profile(folder, work, jobs_args, args.profile)
            if args.steps:
                results["profile"] += f"; the worker's job under cProfile: {_worker_profile(args.profile)}"
    results["load_after"] = _load_average()
    report = render(results, manifest, generated)
    print("\n" + report["text"])
    if args.markdown:
        args.markdown.write_text(report["markdown"], encoding="utf-8")
        print(f"\nwrote {args.markdown}")
    return 0 if run.ok else 1


def _load_average() -> str:
    """1-minute load average: above ~0.5 on an idle machine, other work skews the timings."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


def _page_in(paths: list[str]) -> None:
    """Read every file once, so neither the floor nor budgetkit pays for a cold disk cache."""
    for path in paths:
        Path(path).read_bytes()


def _findings(json_path: Path, manifest: dict) -> dict:
    """What budgetkit reported, and whether it caught every planted error and nothing else."""
    result = json.loads(json_path.read_text(encoding="utf-8"))
    severities = Counter(f["severity"] for f in result["findings"])
    flagged = {f["file"] for f in result["findings"] if f["severity"] in ("error", "warning")}
    planted = {f["path"] for f in manifest["files"] if f["error"]}
    return {"by_severity": dict(severities), "planted": len(planted), "caught": len(planted & flagged),
            "unexpected": sorted(flagged - planted)[:5], "unexpected_count": len(flagged - planted),
            "tables": sum(len(f["tables"]) for f in result["files"]),
            "unread": sum(1 for f in result["files"] if f["status"] != "ok")}


def _flat(args: argparse.Namespace, work: Path, jobs_args: list[str]) -> dict:
    """Peak RSS of ``budgetkit run`` on the smaller corpus, to see whether memory grows with N."""
    spec = CorpusSpec(args.flat_at, args.seed, args.per_department, args.errors)
    folder, _, _ = ensure_corpus(spec, args.cache, cpu_count(), False)
    outputs = (work / "flat.xlsx", work / "flat.json")
    run = run_child(budgetkit_command("run", str(folder), "--out", str(outputs[0]), "--json", str(outputs[1]),
                                      *jobs_args), work, outputs=outputs)
    print(f"budgetkit run on {args.flat_at} workbooks: {run.seconds:.2f} s, {run.max_rss_mb or 0:.0f} MB", flush=True)
    return {"workbooks": args.flat_at, "run": run}


def _big_table(args: argparse.Namespace, work: Path, jobs_args: list[str]) -> dict:
    """``budgetkit run`` on one department holding one table of ``--big-rows`` rows."""
    department = write_big_table(args.cache, args.big_rows)
    out = work / "big.xlsx"
    run = run_child(budgetkit_command("run", str(department), "--out", str(out), *jobs_args), work, outputs=(out,))
    print(f"one table of {args.big_rows:,} rows: {run.seconds:.2f} s, {run.max_rss_mb or 0:.0f} MB", flush=True)
    return {"rows": args.big_rows, "run": run}


def _worker_profile(target: Path | None) -> Path | None:
    return target.with_name(f"{target.stem}.workers{target.suffix}") if target else None


def _department(folder: Path, work: Path, jobs_args: list[str]) -> dict:
    department = department_folders(folder)[0]
    out = work / "department.xlsx"
    best, median = best_of(budgetkit_command("run", str(department), "--out", str(out), *jobs_args), work, times=3,
                           outputs=(out,))
    return {"department": {"folder": department.name, "workbooks": len(list(department.glob("*.xls*"))),
                           "best_s": best.seconds, "median_s": median, "ok": best.ok, "tail": best.stderr_tail}}


def _startup(work: Path) -> dict:
    bare, _ = best_of([sys.executable, "-c", "pass"], work, times=5)
    help_, _ = best_of(budgetkit_command("--help"), work, times=3)
    rules, _ = best_of(budgetkit_command("rules"), work, times=3)
    return {"startup": {"python_s": bare.seconds, "help_s": help_.seconds, "rules_s": rules.seconds,
                        "heavy_at_help": heavy_imports("--help"), "heavy_at_rules": heavy_imports("rules")}}


def _profile(folder: Path, work: Path, jobs_args: list[str], target: Path) -> str:
    """pyinstrument on the whole run. It samples the main process only: time spent in
    worker processes shows up as the main process waiting for their results."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        return "pyinstrument is not installed (pip install pyinstrument); no profile written"
    command = [sys.executable, "-m", "pyinstrument", "--renderer", "text", "--outfile", str(target.resolve()),
               "-m", "budgetkit", "run", str(folder), "--out", str(work / "profiled.xlsx"), *jobs_args]
    profiled = run_child(command, work, sample_tree=False, outputs=(target.resolve(),))
    return f"profile written to {target}" if profiled.ok else f"profiling failed: {profiled.stderr_tail[-500:]}"


# -- the report ---------------------------------------------------------------------------

def render(results: dict, manifest: dict, generated: float | None) -> dict:
    count = len(manifest["files"])
    run: ChildRun = results["run"]
    jobs = results["args"]["jobs"]
    floor = results["floor_s"]
    rows = [("floor: python-calamine, every sheet + merged ranges", f"{jobs} processes",
             *_rate(floor, count)),
            ("floor: python-calamine, one process (extrapolated from ≤200)", "1 process",
             *_rate(results["floor_serial_s"], count))]
    jobs_note = f"--jobs {jobs}" if results["jobs_supported"] else "no --jobs (not offered by budgetkit run)"
    if run.ok:
        rows.append(("`budgetkit run` end to end (interpreter, read, reconcile, summary + JSON)", jobs_note,
                     *_rate(run.seconds, count)))
    else:
        rows.append(("`budgetkit run` end to end", f"FAILED (exit {run.returncode}, see below)", "–", "–", "–"))
    pipeline = results["pipeline"]
    if "run_s" in pipeline:
        setting = f"jobs={pipeline['jobs']}" if pipeline["jobs"] else "one process (pipeline.run takes no jobs)"
        rows.append((f"load + recognise + reconcile: `budgetkit.pipeline.{pipeline.get('how', 'run')}` writing "
                     "nothing, timed inside the process", setting, *_rate(pipeline["run_s"], count)))
    else:
        rows.append(("load + recognise + reconcile", "FAILED", "–", "–", "–"))
    table = [("measure", "setting", "wall", "per workbook", "workbooks/s"), *rows]
    summary = []
    if run.ok:
        summary.append(("ratio `budgetkit run` ÷ floor", f"{run.seconds / floor:.1f}×"))
        if "run_s" in pipeline:
            summary.append(("ratio load + recognise + reconcile ÷ floor", f"{pipeline['run_s'] / floor:.1f}×"))
        summary.append(("peak RSS of budgetkit run (largest process, as /usr/bin/time)", _mb(run.max_rss_mb)))
        summary.append(("peak RSS of budgetkit run (whole process tree, sampled)", _mb(run.tree_rss_mb)))
        flat = results.get("flat")
        if flat and flat["run"].ok:
            summary.append((f"peak RSS of budgetkit run on {flat['workbooks']} workbooks (largest process / tree); "
                            "its wall time", f"{_mb(flat['run'].max_rss_mb)} / {_mb(flat['run'].tree_rss_mb)}; "
                            f"{flat['run'].seconds:.2f} s"))
        found = results["findings"]
        summary.append(("findings reported", ", ".join(f"{k} {v}" for k, v in sorted(found["by_severity"].items()))
                        or "none"))
        summary.append(("planted errors caught", f"{found['caught']} of {found['planted']} workbooks; "
                        f"{found['unexpected_count']} other workbooks flagged; {found['tables']} tables read, "
                        f"{found['unread']} files not read"))
    dep = results["department"]
    summary.append((f"one department ({dep['workbooks']} workbooks) end to end, incl. interpreter start",
                    f"best {dep['best_s']:.2f} s, median {dep['median_s']:.2f} s" if dep["ok"] else "FAILED"))
    big = results.get("big")
    if big:
        summary.append((f"one department with one table of {big['rows']:,} rows, end to end",
                        f"{big['run'].seconds:.2f} s, peak RSS {_mb(big['run'].max_rss_mb)}" if big["run"].ok
                        else f"FAILED (exit {big['run'].returncode})"))
    start = results["startup"]
    summary.append(("interpreter start / `budgetkit --help` / `budgetkit rules`",
                    f"{start['python_s']:.2f} s / {start['help_s']:.2f} s / {start['rules_s']:.2f} s"))
    summary.append(("pandas or openpyxl imported by `budgetkit --help` / `budgetkit rules`",
                    f"{', '.join(start['heavy_at_help']) or 'no'} / {', '.join(start['heavy_at_rules']) or 'no'}"))
    writer = results.get("writer")
    if writer:
        summary.append((f"summary with {writer.findings:,} findings: budgetkit write_summary",
                        f"{writer.budgetkit:.2f} s" if writer.budgetkit is not None else writer.note))
        summary.append(("same rows × 12 formatted cells: xlsxwriter alone / constant_memory",
                        f"{writer.xlsxwriter:.2f} s / {writer.constant_memory:.2f} s"))
        if writer.budgetkit is not None:
            summary.append(("ratio write_summary ÷ xlsxwriter alone", f"{writer.budgetkit / writer.xlsxwriter:.2f}×"))
    if "profile" in results:
        summary.append(("profile", results["profile"]))
    targets = _targets(results)
    steps = _steps_table(results.get("steps"))
    text = "\n".join([f"load average before / after: {results['load_before']} / {results['load_after']}", "",
                      _plain_table(table), "", _plain_table([("result", "value"), *summary]), "",
                      *([_plain_table(steps), ""] if steps else []),
                      _plain_table([("target", "limit", "measured", "met"), *targets])])
    if not run.ok:
        missing = f" without writing {', '.join(run.missing)}" if run.missing else ""
        text += f"\n\nbudgetkit run failed (exit {run.returncode}{missing}):\n{run.stderr_tail}"
    if not dep["ok"]:
        text += f"\n\nbudgetkit run on one department failed:\n{dep['tail']}"
    markdown = "\n".join([
        "# budgetkit benchmark results", "",
        f"- date: {dt.datetime.now():%Y-%m-%d %H:%M}",
        f"- machine: {_machine()}; 1-minute load average {results['load_before']} before the run, "
        f"{results['load_after']} after",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        + ", ".join(f"{p} {_version(p)}" for p in PACKAGES),
        f"- budgetkit: {_budgetkit_revision()}",
        f"- command: `python benchmarks/bench.py {' '.join(sys.argv[1:])}`",
        f"- corpus: {describe(manifest)}; " + (f"generated in {generated:.1f} s" if generated is not None
                                                 else "reused from the cache"),
        "", _markdown_table(table), "", _markdown_table([("result", "value"), *summary]), "",
        *([_markdown_table(steps), ""] if steps else []),
        _markdown_table([("target", "limit", "measured", "met"), *targets]), ""])
    return {"text": text, "markdown": markdown}


def _targets(results: dict) -> list[tuple[str, str, str, str]]:
    run: ChildRun = results["run"]
    measured = {}
    if run.ok:
        measured["run_vs_floor"] = run.seconds / results["floor_s"]
        if run.max_rss_mb is not None:
            measured["rss_mb"] = run.max_rss_mb
            flat = results.get("flat")
            if flat and flat["run"].ok and flat["run"].max_rss_mb:
                measured["rss_growth"] = run.max_rss_mb / flat["run"].max_rss_mb
    if "run_s" in results["pipeline"]:
        measured["pipeline_vs_floor"] = results["pipeline"]["run_s"] / results["floor_s"]
    if results["department"]["ok"]:
        measured["department_s"] = results["department"]["best_s"]
    big = results.get("big")
    if big and big["run"].ok:
        measured["big_table_s"] = big["run"].seconds
        if big["run"].max_rss_mb is not None:
            measured["big_table_mb"] = big["run"].max_rss_mb
    writer = results.get("writer")
    if writer and writer.budgetkit is not None:
        measured["writer_ratio"] = writer.budgetkit / writer.xlsxwriter
    rows = []
    for key, (what, limit, strict) in TARGETS.items():
        value = measured.get(key)
        met = value is not None and (value < limit if strict else value <= limit)
        rows.append((what, f"{'<' if strict else '≤'} {limit:g}", "–" if value is None else f"{value:.2f}",
                     "–" if value is None else ("yes" if met else "NO")))
    return rows


def _steps_table(steps: dict | None) -> list[tuple] | None:
    """Each step of a worker's job, CPU ms per workbook, and its multiple of the floor."""
    if not steps:
        return None
    if "error" in steps:
        return [("step", "CPU ms per workbook"), ("FAILED", steps["error"][-300:].replace("\n", " "))]
    ms = steps["ms"]
    rows = [(f"step (one process, {steps['workbooks']} workbooks in {steps['folders']} folders)",
             "CPU ms per workbook", "× floor")]
    rows += [(label, f"{ms[key]:.2f}", f"{ms[key] / ms['floor']:.1f}") for key, label in STEPS if key in ms]
    work = sum(ms[key] for key in ("read", "recognise", "reconcile") if key in ms)
    rows.append(("load + recognise + reconcile", f"{work:.2f}", f"{work / ms['floor']:.1f}"))
    return rows


def _rate(seconds: float, count: int) -> tuple[str, str, str]:
    return f"{seconds:.2f} s", f"{seconds / count * 1000:.2f} ms", f"{count / seconds:,.0f}"


def _mb(value: float | None) -> str:
    return "n/a on this platform" if value is None else f"{value:,.0f} MB"


def _plain_table(rows: list[tuple]) -> str:
    widths = [max(_width(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(cell) + " " * (w - _width(str(cell))) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _markdown_table(rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join([lines[0], "|" + "---|" * len(rows[0]), *lines[1:]])


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        ram = f", {memory / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        ram = ""
    return f"{platform.system()} {platform.release()}, {cpu}, {cpu_count()} cores{ram}"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _budgetkit_revision() -> str:
    if not shutil.which("git"):
        return "unknown (git not found)"
    git = ["git", "-C", str(REPO)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "budgetkit"], capture_output=True,
                           text=True).stdout.strip()
    return f"commit {head or 'unknown'}" + (" with uncommitted changes in budgetkit/" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())
