"""Compute one fix for one finding, on the file as it was scanned.

`compute_fix` refuses (raises FixRefused) instead of guessing: a file changed since the
scan, a construct the fixer cannot map, a result that would not compile.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from asyncdoc_tui.fixes.diff import unified_diff
from asyncdoc_tui.fixes.proposal import FixProposal, FixRefused
from asyncdoc_tui.fixes.registry import SPECS_BY_ID, call_at
from asyncdoc_tui.fixes.source import read_source
from asyncdoc_tui.model import Finding
from asyncdoc_tui.scan import grammar
from asyncdoc_tui.scan.parse import digest_of
from asyncdoc_tui.scan.project import Project


def compute_fix(project: Project, finding: Finding, fix_id: str) -> FixProposal:
    """The proposal for `fix_id` on `finding`, read from disk; raises FixRefused."""
    spec = SPECS_BY_ID.get(fix_id)
    path = spec.path_for(finding) if spec else finding.path
    try:
        data = (project.root / path).read_bytes()
    except OSError as exc:
        raise FixRefused(f"cannot read {path}: {exc.strerror or exc}") from exc
    return compute_on(project, finding, fix_id, data)


def compute_on(project: Project, finding: Finding, fix_id: str, data: bytes) -> FixProposal:
    """The proposal computed on the bytes of the file the fix edits (usually the
    finding's), which must be what the project scanned."""
    spec = SPECS_BY_ID.get(fix_id)
    if spec is None:
        raise FixRefused(f"unknown fix `{fix_id}`")
    path = spec.path_for(finding)
    facts = project.index.by_path.get(path)
    if facts is None:
        raise FixRefused(f"{path} is not part of the scanned project")
    if digest_of(data) != facts.digest:
        raise FixRefused(f"{path} changed since the scan; rescan before fixing")
    call = call_at(project.index.by_path.get(finding.path), finding)
    safe = spec.offered(project, finding, call)
    if safe is None:
        raise FixRefused(f"fix `{fix_id}` does not apply to this {finding.code} finding")
    try:
        source = read_source(data)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise FixRefused(f"cannot decode {path}: {exc}") from exc
    from asyncdoc_tui.fixes.cst import FixContext

    fixer = importlib.import_module(f"asyncdoc_tui.fixes.{spec.module}")
    context = FixContext(project, finding, facts, call, source.text, fix_id)
    new_text, notes = fixer.rewrite(context)
    if new_text == source.text:
        raise FixRefused("the fix would change nothing")
    if spec.allows:  # said before it is applied: the confirmation and `fix --diff` show notes
        notes = f"{notes} {_effect(project, finding, spec.allows)}".strip()
    check_compiles(new_text, path)
    try:
        source.encode(new_text)
    except UnicodeEncodeError as exc:
        raise FixRefused(f"the fixed text cannot be written in the file's encoding {source.encoding}") from exc
    return FixProposal(
        fix_id=fix_id,
        title=spec.title_in(project, finding),
        safe=safe,
        finding=finding,
        path=path,
        abs_path=Path(project.root / path),
        original_text=source.text,
        new_text=new_text,
        diff=unified_diff(path, source.text, new_text),
        notes=notes,
        digest_at_scan=facts.digest,
    )


def _effect(project: Project, finding: Finding, allows: frozenset[str]) -> str:
    """What a fix that may add findings by design does to the counts."""
    rules = project.catalog.rules
    added = ", ".join(f"+1 {rules[code].severity.value} ({code}: {rules[code].title})" for code in sorted(allows))
    return f"Effect: −1 {finding.severity.value} ({finding.code}); it may add {added}, which has its own fix."


def check_compiles(text: str, path: str) -> None:
    """The full compiler, not just the parser: it also rejects `await` outside async.
    In the grammar the file is written in, whichever Python runs this."""
    try:
        grammar.check_compiles(text, path)
    except (SyntaxError, ValueError) as exc:
        raise FixRefused(f"the fixed code would not compile: {exc}") from exc
