"""Apply a batch of proposals safely: one writer per project, hash check, one pass per
file (later fixes rebased on earlier ones), compile check, a journalled compare-and-swap
write, and a rescan that must show the fixed findings gone and nothing new, else the file
is rolled back.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from asyncdoc_tui.fixes.api import check_compiles, compute_on
from asyncdoc_tui.fixes.diff import unified_diff
from asyncdoc_tui.fixes.journal import Batch, project_lock
from asyncdoc_tui.fixes.proposal import ApplyReport, FixProposal, FixRefused, Refusal
from asyncdoc_tui.fixes.registry import SPECS_BY_ID
from asyncdoc_tui.fixes.source import read_source
from asyncdoc_tui.fixes.write import FileChanged, failure_reason, swap, write_target
from asyncdoc_tui.model import Finding, SkippedFile
from asyncdoc_tui.scan.discover import SourceFile
from asyncdoc_tui.scan.parse import digest_of, parse_source
from asyncdoc_tui.scan.project import Project

_LINE_REF = re.compile(r"(\.py):\d+")


def finding_key(finding: Finding) -> tuple[str, str, str]:
    """Identity of a finding that survives line shifts made by fixes: messages that
    point at `file.py:12` are compared without the line."""
    return (finding.path, finding.code, _LINE_REF.sub(r"\1", finding.message))


def _findings(project: Project) -> list[Finding]:
    from asyncdoc_tui.scan.engine import analyse  # the engine imports this package

    return analyse(project)[0]


def with_bytes(project: Project, rel: str, data: bytes) -> Project:
    """The project as if `rel` held `data` (nothing written)."""
    old = project.index.by_path[rel]
    result = parse_source(data, SourceFile(project.root / rel, rel, old.module, old.is_package), digest_of(data))
    if isinstance(result, SkippedFile):
        raise FixRefused(f"the fixed file could not be analysed: {result.reason}")
    return project.replace_files([result])


def _occurrence(findings: list[Finding], finding: Finding) -> int:
    """Index of `finding` among the file's findings with the same identity."""
    same = [f for f in findings if finding_key(f) == finding_key(finding)]
    for index, other in enumerate(same):
        if (other.line, other.col) == (finding.line, finding.col):
            return index
    raise FixRefused(f"{finding.location} is no longer reported; rescan")


def _check_link(root: Path, rel: str) -> None:
    """A symlinked file is fixed in its target (the link stays), which must lie inside
    the project: a fix never writes outside the folder that was scanned."""
    path = root / rel
    target = write_target(path)
    if target != path.absolute() and not target.is_relative_to(root.resolve()):
        raise FixRefused(f"{rel} is a link to {target}, outside the project folder; not written")


@dataclass(slots=True)
class FilePlan:
    """What one file becomes when a group of proposals is applied to it in one pass."""

    path: str
    data: bytes
    new_data: bytes
    diff: str
    done: list[FixProposal] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    skipped: list[Refusal] = field(default_factory=list)


def plan_file(project: Project, rel: str, group: list[FixProposal], data: bytes, before: list[Finding]) -> FilePlan:
    """All fixes of one file in one text. Each fix after the first is recomputed on the
    result of the earlier ones (its finding found again by identity and occurrence), and
    each is checked in memory before it is kept: its finding must go and nothing new
    may appear; a fix that fails is refused and the others stay."""
    _check_link(project.root, rel)
    facts = project.index.by_path.get(rel)
    if facts is None or digest_of(data) != facts.digest or any(p.digest_at_scan != facts.digest for p in group):
        raise FixRefused(f"{rel} changed since the scan; rescan before fixing")
    source = read_source(data)
    group = sorted(group, key=lambda p: p.finding.sort_key)
    wanted = [(p, _occurrence(before, p.finding)) for p in group]
    plan = FilePlan(rel, data, data, "")
    text, current, findings = source.text, project, before
    for proposal, index in wanted:
        key = finding_key(proposal.finding)
        fixed_before = sum(1 for p, i in wanted if p in plan.done and finding_key(p.finding) == key and i < index)
        same = [f for f in findings if finding_key(f) == key]
        if index - fixed_before >= len(same):
            plan.skipped.append(Refusal(rel, proposal.fix_id, proposal.finding, "already resolved by another fix in this batch"))
            continue
        try:
            if plan.done:
                candidate = compute_on(current, same[index - fixed_before], proposal.fix_id, source.encode(text)).new_text
            else:
                candidate = proposal.new_text
            check_compiles(candidate, rel)
            candidate_project = with_bytes(project, rel, source.encode(candidate))
            after = _findings(candidate_project)
            problem = _verify(findings, after, [proposal])
            if problem:
                raise FixRefused(problem)
        except FixRefused as exc:
            where = "after the other fixes in this file: " if plan.done else ""
            plan.refused.append(Refusal(rel, proposal.fix_id, proposal.finding, where + exc.reason))
            continue
        text, current, findings = candidate, candidate_project, after
        plan.done.append(proposal)
    plan.new_data = source.encode(text)
    plan.diff = unified_diff(rel, source.text, text)
    return plan


def _groups(proposals: list[FixProposal]) -> dict[str, list[FixProposal]]:
    groups: dict[str, list[FixProposal]] = {}
    for proposal in proposals:
        groups.setdefault(proposal.path, []).append(proposal)
    return groups


def preview_fixes(project: Project, proposals: list[FixProposal]) -> tuple[list[FilePlan], list[Refusal]]:
    """Per-file plans (combined diffs) of what `apply_fixes` would write; writes nothing."""
    before = _findings(project)
    plans: list[FilePlan] = []
    refused: list[Refusal] = []
    for rel, group in _groups(proposals).items():
        try:
            plans.append(plan_file(project, rel, group, (project.root / rel).read_bytes(), before))
        except (FixRefused, OSError) as exc:
            reason = exc.reason if isinstance(exc, FixRefused) else f"cannot read {rel}: {exc}"
            refused.extend(Refusal(rel, p.fix_id, p.finding, reason) for p in group)
    return plans, refused


def _verify(before: list[Finding], after: list[Finding], done: list[FixProposal]) -> str:
    """Empty when every fixed finding is gone and none appeared; else the reason."""
    old, new = Counter(map(finding_key, before)), Counter(map(finding_key, after))
    added = new - old
    allowed = set().union(*(SPECS_BY_ID[p.fix_id].allows for p in done if p.fix_id in SPECS_BY_ID))
    for finding in after:
        if finding.code in allowed:
            added.pop(finding_key(finding), None)
    if added:
        path, code, message = min(added)
        return f"the fix would introduce a new finding: {code} {path}: {message}"
    for key, count in Counter(finding_key(p.finding) for p in done).items():
        if new[key] > old[key] - count:
            return f"{key[1]} `{key[2]}` is still reported after the fix"
    return ""


def apply_fixes(project: Project, proposals: list[FixProposal], cache_dir: Path | None = None) -> ApplyReport:
    """Write the proposals, journalled as one undoable batch; see the module docstring.
    Raises `ProjectBusy` when another asyncdoc is applying fixes in this project."""
    with project_lock(project.root, cache_dir):
        return _apply_locked(project, proposals, cache_dir)


def _apply_locked(project: Project, proposals: list[FixProposal], cache_dir: Path | None) -> ApplyReport:
    from asyncdoc_tui.scan.engine import rescan_paths

    report = ApplyReport(project=project)
    batch: Batch | None = None
    current = project
    before = _findings(current)
    for rel, group in _groups(proposals).items():
        path = current.root / rel
        try:
            plan = plan_file(current, rel, group, path.read_bytes(), before)
        except (FixRefused, OSError) as exc:
            reason = exc.reason if isinstance(exc, FixRefused) else f"cannot read {rel}: {exc}"
            report.refused.extend(Refusal(rel, p.fix_id, p.finding, reason) for p in group)
            continue
        report.refused.extend(plan.refused)
        report.skipped.extend(plan.skipped)
        if not plan.done:
            continue
        batch = batch or Batch.start(current.root, cache_dir)
        try:
            tmp = batch.plan(rel, plan.data, plan.new_data)
        except OSError as exc:
            report.failed.extend(Refusal(rel, p.fix_id, p.finding, f"the undo journal could not be written: {failure_reason(exc)}") for p in plan.done)
            continue
        try:
            swap(path, plan.data, plan.new_data, tmp)
        except (FileChanged, OSError) as exc:
            batch.forget(rel)
            failures = report.refused if isinstance(exc, FileChanged) else report.failed
            failures.extend(Refusal(rel, p.fix_id, p.finding, failure_reason(exc)) for p in plan.done)
            continue
        batch.written(rel)
        rescanned = rescan_paths(current, [path])
        after = _findings(rescanned)
        problem = _verify(before, after, plan.done)
        if problem:
            try:
                swap(path, plan.new_data, plan.data, tmp)
            except (FileChanged, OSError) as exc:
                reason = f"{problem}; not rolled back: {failure_reason(exc)}"
                report.failed.extend(Refusal(rel, p.fix_id, p.finding, reason) for p in plan.done)
                continue
            batch.forget(rel)
            report.refused.extend(Refusal(rel, p.fix_id, p.finding, f"rolled back: {problem}") for p in plan.done)
            continue
        current, before = rescanned, after
        report.applied.extend(plan.done)
        report.files_written.append(rel)
    report.batch_id = batch.close() if batch else None
    report.project = current
    return report
