"""The measurements: the python-calamine read floor, ``budgetkit`` in a child process
(wall time and peak RSS), and the summary writer against xlsxwriter alone."""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# -- the floor -------------------------------------------------------------------

def read_every_sheet(path: str) -> int:
    """What any reader must do: open, every sheet's values and merged ranges. Returns the cells read."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    cells = 0
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        _ = sheet.merged_cell_ranges
        cells += sum(len(row) for row in rows)
    return cells


def _warm() -> None:
    import python_calamine  # noqa: F401 - imported once per worker, before the clock starts


def floor_seconds(paths: list[str], jobs: int, repeat: int) -> float:
    """Best wall time of reading every file in a warm pool of ``jobs`` processes."""
    chunk = max(1, len(paths) // (jobs * 16))
    best = float("inf")
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm) as pool:
        list(pool.map(_warm_task, range(jobs * 4)))
        for _ in range(repeat):
            started = time.perf_counter()
            list(pool.map(read_every_sheet, paths, chunksize=chunk))
            best = min(best, time.perf_counter() - started)
    return best


def _warm_task(_: int) -> None:
    time.sleep(0.01)


def serial_floor_seconds(paths: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for path in paths:
            read_every_sheet(path)
        best = min(best, time.perf_counter() - started)
    return best


# -- budgetkit in a child process ----------------------------------------------------

@dataclass
class ChildRun:
    command: list[str]
    seconds: float
    returncode: int
    max_rss_mb: float | None          # largest single process of the tree (what /usr/bin/time reports)
    tree_rss_mb: float | None = None  # sampled peak of the whole tree's summed RSS
    stderr_tail: str = ""
    missing: tuple[str, ...] = ()     # expected outputs the run did not write

    @property
    def ok(self) -> bool:
        """Exit 1 means errors were found (the corpus has planted errors), but a Python
        crash exits 1 too: the run counts only if it also wrote its outputs."""
        return self.returncode in (0, 1) and not self.missing


# The checkout's bytecode is kept here, not in the checkout: an installed budgetkit has its .pyc
# files (pip compiles them), and without them every process — the run and each worker — would
# compile every module again (about 0.25 s each).
BYTECODE = Path(tempfile.gettempdir()) / "budgetkit-bench" / "bytecode"


def child_env() -> dict[str, str]:
    """Run the checkout's budgetkit, whatever is installed, with its bytecode compiled as an
    installed copy has it, and keep Rich's output plain."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update({"COLUMNS": "200", "NO_COLOR": "1", "PYTHONPYCACHEPREFIX": str(BYTECODE)})
    return env


def compile_checkout() -> None:
    """The checkout's modules compiled once, before anything is timed (``child_env``)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "budgetkit")], check=True, env=child_env(),
                   stdout=subprocess.DEVNULL)


def budgetkit_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "budgetkit", *args]


def run_child(command: list[str], cwd: Path, sample_tree: bool = True, outputs: tuple[Path, ...] = ()) -> ChildRun:
    """Wall time from fork to exit, and the child's peak RSS from wait4 (children included)."""
    for output in outputs:
        output.unlink(missing_ok=True)
    log = cwd / f"stderr-{time.monotonic_ns()}.txt"
    with open(log, "wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=child_env(), stdout=subprocess.DEVNULL, stderr=stderr)
        sampler = _TreeRss(process.pid) if sample_tree and _has_proc() else None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            max_rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        else:
            process.wait()
            seconds, max_rss = time.perf_counter() - started, None
    tree = sampler.finish() if sampler else None
    missing = tuple(str(p) for p in outputs if not p.exists())
    tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if process.returncode or missing else ""
    return ChildRun(command, seconds, process.returncode, max_rss, tree, tail, missing)


def best_of(command: list[str], cwd: Path, times: int, outputs: tuple[Path, ...] = ()) -> tuple[ChildRun, float]:
    """The fastest of ``times`` runs and the median wall time."""
    runs = [run_child(command, cwd, sample_tree=False, outputs=outputs) for _ in range(times)]
    return min(runs, key=lambda r: r.seconds), statistics.median(r.seconds for r in runs)


def _has_proc() -> bool:
    return Path("/proc/self/status").exists()


class _TreeRss:
    """Samples the summed RSS of a process and its descendants (Linux /proc), every 50 ms.
    Pages shared after fork count once per process, so this errs high."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in _tree(self.pid)))
            self._stop.wait(0.05)

    def finish(self) -> float | None:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024 if self.peak_kb else None


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cli_lists_option(option: str) -> bool:
    """Whether ``budgetkit run --help`` offers ``option`` (e.g. --jobs)."""
    shown = subprocess.run(budgetkit_command("run", "--help"), capture_output=True, text=True, env=child_env(),
                           cwd=REPO)
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", shown.stdout + shown.stderr) is not None


def heavy_imports(*command: str, modules: tuple[str, ...] = ("pandas", "openpyxl")) -> list[str]:
    """Which of ``modules`` ``budgetkit <command>`` imports (python -X importtime)."""
    shown = subprocess.run([sys.executable, "-X", "importtime", "-m", "budgetkit", *command], capture_output=True,
                           text=True, env=child_env(), cwd=REPO)
    imported = {line.rsplit("|", 1)[-1].strip() for line in shown.stderr.splitlines() if "|" in line}
    return [m for m in modules if m in imported]


# Times read + recognise + reconcile (no outputs) inside a fresh interpreter: for a corpus of
# several department folders ``pipeline.run_departments`` writing nothing, as ``budgetkit run``
# checks a batch, else ``pipeline.run``; passes jobs= only if the pipeline takes it.
_PIPELINE_SCRIPT = """
import inspect, json, sys, time
from pathlib import Path
started = time.perf_counter()
from budgetkit import pipeline
from budgetkit.config import load_config
from budgetkit.discover import discover
imported = time.perf_counter()
folder, jobs = Path(sys.argv[1]), int(sys.argv[2])
sources = discover(folder)
if hasattr(pipeline, "run_departments") and pipeline.in_several_folders(sources):
    how = "run_departments"
    result = pipeline.run_departments(folder, load_config(folder), None, sources=sources, jobs=jobs).result
else:
    how = "run"
    kwargs = {"jobs": jobs} if "jobs" in inspect.signature(pipeline.run).parameters else {}
    result = pipeline.run(folder, sources=sources, **kwargs)
print(json.dumps({"import_s": imported - started, "run_s": time.perf_counter() - imported,
                  "jobs": jobs, "how": how, "tables": len(result.tables)}))
"""


def pipeline_seconds(folder: Path, jobs: int) -> dict:
    """Read + recognise + reconcile only, timed inside the child."""
    done = subprocess.run([sys.executable, "-c", _PIPELINE_SCRIPT, str(folder), str(jobs)], capture_output=True,
                          text=True, env=child_env(), cwd=REPO)
    if done.returncode != 0:
        return {"error": done.stderr[-1500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# Each step of a worker's job on one department folder, in CPU milliseconds per workbook, over
# the first folders of the corpus, in one process: what ``pipeline.check_folder`` does, step by
# step, beside the calamine floor for the same files. With a profile path, the same work again
# under cProfile (the worker's side, which pyinstrument on the main process cannot see).
_STEPS_SCRIPT = """
import cProfile, json, pstats, sys, tempfile, time
from collections import defaultdict
from pathlib import Path, PurePosixPath
sys.path.insert(0, sys.argv[4])
from measure import read_every_sheet
from budgetkit import pipeline
from budgetkit.config import load_config
from budgetkit.discover import discover
from budgetkit.load.grid import ReadOptions, read_grids
from budgetkit.load.recognise import tables_of
from budgetkit.model import RunResult
from budgetkit.reconcile import reconcile
from budgetkit.report.figures import ReportOptions
from budgetkit.report.output import DepartmentTargets, write_department_files
from budgetkit.versions import keep_current
try:  # the worker holds the cycle collector off during its job (budgetkit.collector); so do these steps
    from budgetkit.collector import paused
except ImportError:  # a checkout from before it
    from contextlib import nullcontext as paused


def current(files):
    keep_current(files)  # copies and older versions set aside, as a worker does
    return files


folder, limit, profile = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
config = load_config(folder)
by_folder = defaultdict(list)
for source in discover(folder):
    by_folder[str(PurePosixPath(source.relative).parent)].append(source)
chosen, count = [], 0
for sources in by_folder.values():
    if count >= limit:
        break
    chosen.append(sources)
    count += len(sources)
out = Path(tempfile.mkdtemp()) / "summary.xlsx"
targets = DepartmentTargets(out, ReportOptions())
spent = defaultdict(float)
def timed(step, work):
    started = time.process_time()
    with paused():
        value = work()
    spent[step] += time.process_time() - started
    return value
for sources in [chosen[0], *chosen]:  # the first folder once more, unmeasured: imports, caches
    if spent.setdefault("warm", 0.0) == 0.0:
        spent["warm"] = 1.0
        files = current([tables_of(s, read_grids(s.path, ReadOptions())) for s in sources])
        done = reconcile([t for f in files for t in f.tables], config.tolerance, policy=config.policy,
                         subjects=config.subjects)
        write_department_files(RunResult(folder, files, done.findings, done.coverage, done.accepted, done.groups),
                               [], targets)
        continue
    timed("floor", lambda: [read_every_sheet(str(s.path)) for s in sources])
    grids = timed("read", lambda: [read_grids(s.path, ReadOptions()) for s in sources])
    files = timed("recognise", lambda: current([tables_of(s, g) for s, g in zip(sources, grids)]))
    done = timed("reconcile", lambda: reconcile([t for f in files for t in f.tables], config.tolerance,
                                                policy=config.policy, subjects=config.subjects))
    result = RunResult(folder, files, done.findings, done.coverage, done.accepted, done.groups)
    timed("write", lambda: write_department_files(result, [], targets))
print(json.dumps({"workbooks": count, "folders": len(chosen),
                  "ms": {k: v / count * 1000 for k, v in spent.items() if k != "warm"}}))
if profile:
    jobs = [pipeline.FolderJob(folder, tuple(s), (), config, ReadOptions(), targets) for s in chosen]
    profiler = cProfile.Profile()
    profiler.enable()
    for job in jobs:
        pipeline.check_folder(job, lambda note: None)
    profiler.disable()
    with open(profile, "w", encoding="utf-8") as stream:
        stream.write(f"cProfile of pipeline.check_folder (the worker's job) on {len(jobs)} folders, {count} workbooks\\n\\n")
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(40)
"""


def step_costs(folder: Path, limit: int, profile: Path | None = None) -> dict:
    """CPU milliseconds per workbook of each step of a worker's job (floor, read, recognise,
    reconcile, write) over the first folders holding ``limit`` workbooks."""
    done = subprocess.run([sys.executable, "-c", _STEPS_SCRIPT, str(folder), str(limit),
                           str(profile.resolve()) if profile else "", str(Path(__file__).resolve().parent)],
                          capture_output=True, text=True, env=child_env(), cwd=REPO)
    if done.returncode != 0:
        return {"error": done.stderr[-1500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the summary writer ------------------------------------------------------------------

@dataclass
class WriterTimes:
    findings: int
    budgetkit: float | None
    xlsxwriter: float
    constant_memory: float
    note: str = ""
    extra: dict = field(default_factory=dict)


RULES = ("BK101", "BK102", "BK103", "BK111", "BK112", "BK201", "BK202", "BK205", "BK209", "BK301", "BK502", "BK503")
SHEETS = ("收入支出决算总表", "收入决算表", "支出决算表", "一般公共预算财政拨款支出决算表",
          "一般公共预算财政拨款基本支出决算表")
ITEMS = ("2011301 行政运行", "2080505 机关事业单位基本养老保险缴费支出", "2210201 住房公积金", "本年支出合计", "总计",
         "30108 机关事业单位基本养老保险缴费", "21011 行政事业单位医疗")


def synthetic_findings(count: int, seed: int = 6):
    """``count`` findings spread over files, sheets, rules and severities, with messages
    as long as real ones; 1 in 20 is a share (%)."""
    from budgetkit.model import CellRef, Finding, Severity

    rng = random.Random(seed)
    severities = [Severity.ERROR] * 6 + [Severity.WARNING] * 3 + [Severity.INFO]
    findings = []
    for n in range(count):
        stated = Decimal(rng.randrange(1, 10_000_000)).scaleb(-2)
        expected = stated + Decimal(rng.randrange(-50_000, 50_000)).scaleb(-2)
        share = n % 20 == 0
        item = rng.choice(ITEMS)
        findings.append(Finding(
            rule=rng.choice(RULES), severity=rng.choice(severities),
            ref=CellRef(f"{n // 900:03d}-某区某局/某单位{n // 90}2023年度部门决算.xlsx", rng.choice(SHEETS),
                        f"{'CDEFGH'[n % 6]}{5 + n % 40}"),
            item=item, stated=stated, expected=expected, unit="%" if share else "万元",
            message=f"{item}（本年支出合计）填报 {stated:,}，其下级科目之和为 {expected:,}，"
                    f"相差 {stated - expected:,}万元，超出取整误差范围，请核对后修改。"))
    return findings


def time_budgetkit_writer(findings: list, path: Path) -> tuple[float | None, str]:
    """budgetkit's own ``write_summary`` on a RunResult that holds only the findings."""
    import budgetkit.pipeline  # noqa: F401 - import order as in the CLI (load before report)
    from budgetkit.model import RunResult
    from budgetkit.report.workbook import write_summary

    result = RunResult(folder=Path("bench"), files=[], findings=findings)
    started = time.perf_counter()
    try:
        write_summary(result, path)
    except TypeError as exc:  # the writer's signature changed: say so rather than guess
        return None, f"write_summary(result, path) failed: {exc}"
    return time.perf_counter() - started, ""


COLUMNS = (("序号", 6), ("严重程度", 9), ("规则", 8), ("文件", 28), ("工作表", 22), ("单元格", 8),
           ("项目", 30), ("填报值", 14), ("计算值", 14), ("差额", 12), ("单位", 6), ("说明", 70))


def time_xlsxwriter_alone(findings: list, path: Path, constant_memory: bool = False) -> float:
    """The least a program can do to write the same 12 formatted cells per finding."""
    import xlsxwriter

    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory, "strings_to_numbers": False})
    base = {"font_name": "等线", "font_size": 10, "border": 1, "valign": "top"}
    text = book.add_format(base)
    wrap = book.add_format({**base, "text_wrap": True})
    amount = book.add_format({**base, "num_format": "#,##0.00"})
    percent = book.add_format({**base, "num_format": "0.00%"})
    header = book.add_format({**base, "bold": True, "bg_color": "#DDEBF7"})
    severity = {name: book.add_format({**base, "bg_color": color})
                for name, color in (("错误", "#FFC7CE"), ("警告", "#FFEB9C"), ("提示", "#DDEBF7"))}
    sheet = book.add_worksheet("问题清单")
    for column, (_, width) in enumerate(COLUMNS):
        sheet.set_column(column, column, width)
    sheet.write_row(0, 0, [name for name, _ in COLUMNS], header)
    for r, finding in enumerate(findings, start=1):
        number = percent if finding.unit == "%" else amount
        sheet.write_number(r, 0, r, text)
        label = finding.severity.label
        sheet.write_string(r, 1, label, severity[label])
        sheet.write_string(r, 2, finding.rule, text)
        sheet.write_string(r, 3, finding.ref.file, text)
        sheet.write_string(r, 4, finding.ref.sheet, text)
        sheet.write_string(r, 5, finding.ref.cell, text)
        sheet.write_string(r, 6, finding.item, wrap)
        for column, value in ((7, finding.stated), (8, finding.expected), (9, finding.difference)):
            sheet.write_number(r, column, float(value), number)
        sheet.write_string(r, 10, finding.unit, text)
        sheet.write_string(r, 11, finding.message, wrap)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(findings), len(COLUMNS) - 1)
    book.close()
    return time.perf_counter() - started


def writer_times(count: int, folder: Path, rounds: int = 2) -> WriterTimes:
    """budgetkit's writer against xlsxwriter alone, each the best of ``rounds`` taken in turn:
    a busy spell on the machine slows one round of one of them, rarely every round of both."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    findings = synthetic_findings(count)
    ours: list[float] = []
    alone: list[float] = []
    note = ""
    for _ in range(rounds):
        seconds, note = time_budgetkit_writer(findings, folder / "budgetkit-summary.xlsx")
        if seconds is None:
            break
        ours.append(seconds)
        alone.append(time_xlsxwriter_alone(findings, folder / "xlsxwriter-alone.xlsx"))
    if not alone:  # budgetkit's writer failed: xlsxwriter alone is still shown
        alone.append(time_xlsxwriter_alone(findings, folder / "xlsxwriter-alone.xlsx"))
    streamed = time_xlsxwriter_alone(findings, folder / "xlsxwriter-constant-memory.xlsx", constant_memory=True)
    return WriterTimes(count, min(ours, default=None), min(alone), streamed, note)
