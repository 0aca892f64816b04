"""Golden before/after files per fixer, each also as a CRLF file and with a BOM.

Every finding in `before.py` that offers the case's fix gets it, in one batch (so each
case also applies two fixes to one file); the written bytes must equal `after.py` in
the same newline style and BOM, and the file mode must survive.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fix_helpers import GOLDEN, scan_tree, with_fix

from asyncdoc_tui.fixes import apply_fixes, compute_fix

CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "before.py").is_file())
VARIANTS = {
    "lf": lambda data: data,
    "crlf": lambda data: data.replace(b"\n", b"\r\n"),
    "bom": lambda data: b"\xef\xbb\xbf" + data,
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, variant: str, project_dir: Path, journal: Path) -> None:
    fix_id = case.split("__")[0]
    encode = VARIANTS[variant]
    target = project_dir / "mod.py"
    target.write_bytes(encode((GOLDEN / case / "before.py").read_bytes()))
    target.chmod(0o640)
    project, result = scan_tree(project_dir)
    findings = with_fix(result, fix_id)
    assert len(findings) >= 2, f"{case} should offer {fix_id} at least twice"
    report = apply_fixes(project, [compute_fix(project, f, fix_id) for f in findings], cache_dir=journal)
    assert not report.refused
    assert target.read_bytes() == encode((GOLDEN / case / "after.py").read_bytes())
    assert target.stat().st_mode & 0o777 == 0o640
