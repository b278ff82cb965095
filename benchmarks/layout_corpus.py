"""The layout corpus of issue 9, in full: every trait combination × (clean + every
planted error family) × both stages, each rendering in its own folder, checked by
budgetkit.pipeline.run.

Prints the findings by severity of the clean and of the planted renderings per stage,
which planted families were found, and the failures grouped by cause: each failure
(a false error or warning on clean accounts, a missed plant, a unit slip reported more
than once) with the trait values every failing rendering shares and its first message.

    python benchmarks/layout_corpus.py                 # the full cross product
    python benchmarks/layout_corpus.py --sample 500    # 500 combinations covering every trait value

The budgetkit measured is the one Python imports: put a checkout first on PYTHONPATH
to measure another (``PYTHONPATH=../other python benchmarks/layout_corpus.py``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, fields
from itertools import islice
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from layout_corpus import (STAGES, TRAIT_VALUES, Traits, all_combinations, combination_count,  # noqa: E402
                           plants_of, render_disclosure, sample)

LOUD = ("error", "warning")


@dataclass(frozen=True)
class Task:
    traits: Traits
    stage: str
    plant: str | None


@dataclass
class Outcome:
    """What one rendering gave: findings by severity, and its failures as (signature, example)."""

    task: Task
    counts: Counter
    found: bool | None = None                    # planted: the expected finding was there, as severe as expected
    failures: list[tuple[tuple, str]] = field(default_factory=list)


def tasks(combinations: Iterable[Traits], stages: tuple[str, ...]) -> Iterator[Task]:
    for traits in combinations:
        for stage in stages:
            for plant in [None, *plants_of(stage)]:
                yield Task(traits, stage, plant)


def check_batch(batch: list[Task]) -> list[Outcome]:
    """Write every rendering of the batch into its own folder under one root and check
    the root once: tables group by folder, so no two renderings are ever compared."""
    from budgetkit.pipeline import run

    root = Path(tempfile.mkdtemp(prefix="layout-corpus-"))
    try:
        renderings = {}
        for index, task in enumerate(batch):
            folder = f"{index:05d}"
            renderings[folder] = render_disclosure(task.traits, task.stage, task.plant)
            renderings[folder].write(root / folder)
        result = run(root, jobs=1)
        by_folder = defaultdict(list)
        for finding in result.findings:
            by_folder[PurePosixPath(finding.ref.file).parts[0]].append(finding)
        loaded = Counter(PurePosixPath(t.file).parts[0] for t in result.tables)
        return [_outcome(task, renderings[folder], by_folder[folder], loaded[folder])
                for folder, task in zip(renderings, batch, strict=True)]
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _outcome(task: Task, rendering, findings: list, tables: int) -> Outcome:
    outcome = Outcome(task, Counter(f.severity.value for f in findings))

    def where(f) -> str:
        return rendering.table_at(PurePosixPath(f.ref.file).name, f.ref.sheet, f.ref.cell) or "?"

    def example(f) -> str:
        return f"{f.severity.value} {f.rule} {PurePosixPath(f.ref.file).name} {f.ref.sheet}!{f.ref.cell}: {f.message}"
    if tables != 9:
        outcome.failures.append((("tables read", task.stage, str(tables)), f"{tables} of 9 tables recognised"))
    loud = [f for f in findings if f.severity.value in LOUD]
    expected = rendering.planted
    if expected is None:
        for f in loud:
            outcome.failures.append((("false " + f.severity.value, task.stage, f.rule, where(f)), example(f)))
        return outcome
    at_cell = [f for f in findings if f.rule == expected.rule and f.ref.sheet == expected.sheet
               and f.ref.cell == expected.cell and PurePosixPath(f.ref.file).name == expected.file]
    outcome.found = [f.severity.value for f in at_cell] == [expected.severity]
    if not outcome.found:
        shown = "; ".join(example(f) for f in (at_cell or loud)[:3]) or "no error or warning at all"
        outcome.failures.append((("missed", task.stage, task.plant, expected.rule),
                                 f"expected {expected.rule} {expected.severity} at {expected.sheet}!{expected.cell}; got "
                                 + shown))
    if expected.alone:
        for f in loud:
            if f not in at_cell:
                outcome.failures.append((("not one finding", task.stage, task.plant, f.rule, where(f)), example(f)))
    return outcome


def run_corpus(all_tasks: Iterable[Task], total: int, jobs: int, batch: int) -> list[Outcome]:
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    source = iter(all_tasks)
    batches = iter(lambda: list(islice(source, batch)), [])
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = {pool.submit(check_batch, b) for b in islice(batches, jobs * 2)}
        while pending:
            done = next(as_completed(pending))
            pending.remove(done)
            outcomes += done.result()
            pending |= {pool.submit(check_batch, b) for b in islice(batches, 1)}
            elapsed = time.perf_counter() - started
            rate = len(outcomes) / elapsed
            print(f"\r{len(outcomes):,}/{total:,} renderings, {rate:.1f}/s, "
                  f"{(total - len(outcomes)) / rate / 60:.0f} min to go", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return outcomes


# -- report --------------------------------------------------------------------------------

def table(header: list[str], rows: list[list[object]]) -> str:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(_width(row[k]) for row in cells) for k in range(len(header))]
    lines = ["| " + " | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def measured() -> str:
    """Which budgetkit was measured: its folder, and the commit of its checkout (+ if changed)."""
    import budgetkit

    folder = Path(budgetkit.__file__).resolve().parents[1]
    try:
        commit = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--", "budgetkit"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return f"budgetkit at {folder} (commit {commit}{' + uncommitted changes' if dirty else ''})"
    except (OSError, subprocess.CalledProcessError):
        return f"budgetkit at {folder}"


def report(outcomes: list[Outcome], seconds: float, combinations: int) -> str:
    out = [measured(),
           f"{combinations:,} trait combinations, {len(outcomes):,} renderings checked in {seconds / 60:.1f} min.", ""]
    rows = []
    for stage in STAGES:
        for kind in ("clean", "planted"):
            mine = [o for o in outcomes if o.task.stage == stage and (o.task.plant is None) == (kind == "clean")]
            if not mine:
                continue
            counts = sum((o.counts for o in mine), Counter())
            loud = sum(1 for o in mine if o.counts["error"] or o.counts["warning"])
            found = sum(1 for o in mine if o.found)
            rows.append([stage, kind, len(mine), counts["error"], counts["warning"], counts["info"],
                         f"{loud:,}" if kind == "clean" else "", f"{found:,}/{len(mine):,}" if kind == "planted" else ""])
    out += ["## Findings by severity", "",
            table(["stage", "rendering", "count", "error", "warning", "info", "with error/warning", "plants found"], rows),
            ""]
    families = defaultdict(lambda: [0, 0])
    for o in outcomes:
        if o.task.plant:
            families[o.task.plant][0] += bool(o.found)
            families[o.task.plant][1] += 1
    out += ["## Planted families", "",
            table(["family", "found", "of"], [[name, f, n] for name, (f, n) in families.items()]), ""]
    out += ["## Failures by cause", "", _causes(outcomes), "", "## Failure rate by trait value", "", _by_trait(outcomes)]
    return "\n".join(out)


def _causes(outcomes: list[Outcome]) -> str:
    """Each failure signature, how many renderings show it, the trait values all of them
    share (where the rest of the corpus varies), and its first message."""
    groups: dict[tuple, list[tuple[Outcome, str]]] = defaultdict(list)
    for o in outcomes:
        first_of: dict[tuple, str] = {}
        for signature, message in o.failures:
            first_of.setdefault(signature, message)
        for signature, message in first_of.items():
            groups[signature].append((o, message))
    if not groups:
        return "None: every clean rendering is quiet and every plant is found."
    varying = {f.name for f in fields(Traits) if len({getattr(o.task.traits, f.name) for o in outcomes}) > 1}
    rows = []
    for signature, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        shared = []
        for name in sorted(varying):
            values = {getattr(o.task.traits, name) for o, _ in members}
            if len(values) == 1:
                shared.append(f"{name}={values.pop()}")
            elif len(values) < len(TRAIT_VALUES[name]):
                shared.append(f"{name}∈{{{','.join(map(str, sorted(values, key=str)))}}}")
        first = members[0]
        rows.append([" ".join(map(str, signature)), len(members), ", ".join(shared) or "(any)",
                     f"[{first[0].task.traits.label}] {first[1]}"[:400]])
    return table(["failure", "renderings", "traits every one has", "first example"], rows)


def _by_trait(outcomes: list[Outcome]) -> str:
    rows = []
    for name, values in TRAIT_VALUES.items():
        for value in values:
            mine = [o for o in outcomes if getattr(o.task.traits, name) == value]
            clean = [o for o in mine if o.task.plant is None]
            planted = [o for o in mine if o.task.plant]
            if not mine:
                continue
            errors = sum(1 for o in clean if o.counts["error"])
            warnings = sum(1 for o in clean if o.counts["warning"])
            missed = sum(1 for o in planted if not o.found)
            rows.append([name, value, len(clean), _share(errors, clean), _share(warnings, clean), len(planted),
                         _share(missed, planted)])
    return table(["trait", "value", "clean", "false error", "false warning", "planted", "missed"], rows)


def _share(part: int, whole: list) -> str:
    return f"{part:,} ({part / len(whole):.0%})" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0,
                        help="check N combinations covering every trait value instead of the full cross product")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--stage", choices=STAGES, action="append", help="only this stage (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--batch", type=int, default=60, help="renderings written and checked per pipeline run")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    stages = tuple(args.stage or STAGES)
    combinations = sample(args.sample, args.seed) if args.sample else all_combinations()
    count = args.sample or combination_count()
    total = count * sum(1 + len(plants_of(stage)) for stage in stages)
    print(f"{count:,} combinations × {stages} × (clean + plants) = {total:,} renderings", file=sys.stderr)
    started = time.perf_counter()
    outcomes = run_corpus(tasks(combinations, stages), total, args.jobs, args.batch)
    text = report(outcomes, time.perf_counter() - started, count)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    failed = any(o.failures for o in outcomes)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
