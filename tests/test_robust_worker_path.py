"""The reader worker runs the same budgetkit as the process that starts it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from standard_tables import expenditure_sheet
from workbook_builder import write_workbook

REPO = Path(__file__).resolve().parents[1]


def test_a_folder_named_budgetkit_in_the_working_directory_is_not_what_the_worker_runs(tmp_path):
    # `python -c` puts the working directory first on sys.path; a stray budgetkit there
    # (another checkout, a user's folder) would otherwise be the worker's.
    stray = tmp_path / "budgetkit" / "load"
    stray.mkdir(parents=True)
    (stray.parent / "__init__.py").write_text("", encoding="utf-8")
    (stray / "__init__.py").write_text("", encoding="utf-8")
    (stray / "worker.py").write_text("def serve(debug):\n    open('STRAY', 'w').close()\n", encoding="utf-8")
    write_workbook(tmp_path / "in" / "支出.xlsx", {"支出": expenditure_sheet()})
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; from budgetkit import pipeline; "
            "r = pipeline.run(Path('in')); print(len(r.tables), [f.status.value for f in r.files])")
    done = subprocess.run([sys.executable, "-c", code, str(REPO)], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": ""}, timeout=120)
    assert done.stdout.strip() == "1 ['ok']", done.stderr
    assert not (tmp_path / "STRAY").exists()
