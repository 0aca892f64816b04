"""Run a scan: discover files, collect facts (cached, in parallel when it pays), run rules.

This is the one entry point the CLI, the TUI and the tests use.
"""

from __future__ import annotations

import fnmatch
import gc
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from asyncdoc_tui.config import Config, load_config
from asyncdoc_tui.model import Finding, ScanResult, SkippedFile
from asyncdoc_tui.rules import RULE_MODULES
from asyncdoc_tui.rules.catalog import load_catalog
from asyncdoc_tui.scan.cache import FactsCache
from asyncdoc_tui.scan.cache_dir import default_cache_dir
from asyncdoc_tui.scan.discover import SourceFile, discover, module_for, unreadable
from asyncdoc_tui.scan.facts_model import FileFacts
from asyncdoc_tui.scan.parse import digest_of, parse_file
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.roots import root_label, unresolved_roots_note

Progress = Callable[[int, int], None]  # (files done, files total)
Partial = Callable[[list[Finding]], None]  # findings reported so far, after each rule family

# Below this many files to parse, worker start-up costs more than it saves.
PARALLEL_MIN_FILES = 48
# Batches per CPU: small enough for the main process and the workers to meet near the middle.
STEAL_BATCHES_PER_WORKER = 16


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """No cyclic GC while building facts.

    Syntax trees and facts hold no reference cycles, so reference counting frees them;
    the collector would only re-traverse the growing heap of facts (ast.parse of
    Django runs ~4x slower with it on). With `freeze`, what is alive at the end (the
    facts, which live as long as the project) moves to the permanent generation, so
    neither the first collection after this nor later ones walk it again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _parse_batch(batch: list[SourceFile]) -> list[FileFacts | SkippedFile]:
    with gc_paused():
        return [parse_file(f) for f in batch]


def _workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _parse_many(todo: list[SourceFile], progress: Progress | None, done: int, total: int) -> list[FileFacts | SkippedFile]:
    workers = _workers()
    if len(todo) < PARALLEL_MIN_FILES or workers == 1:
        return _parse_here(todo, progress, done, total)
    # Imported here: a warm scan never starts workers and would pay ~50 ms to import these.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # The batches queue up for `workers - 1` processes, which take them from the front,
    # while this process takes them back from the end (a batch no process has started can
    # be cancelled) until the two meet: the load balances itself, and what this process
    # parses is never pickled. Files are interleaved so big and small ones spread evenly.
    batch_count = workers * STEAL_BATCHES_PER_WORKER
    batches = [todo[i::batch_count] for i in range(batch_count)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    results_by_file: dict[str, FileFacts | SkippedFile] = {}

    def collect(batch: list[SourceFile], results: list[FileFacts | SkippedFile]) -> None:
        nonlocal done
        for source_file, result in zip(batch, results):
            results_by_file[source_file.rel] = result
        done += len(batch)
        if progress:
            progress(done, total)

    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [pool.submit(_parse_batch, batch) for batch in batches]
        taken = 0
        for batch, future in zip(reversed(batches), reversed(futures)):
            if not future.cancel():
                break  # a process has it, and every batch before it
            collect(batch, _parse_batch(batch))
            taken += 1
        for batch, future in zip(batches[: len(batches) - taken], futures):
            collect(batch, future.result())
    return [results_by_file[f.rel] for f in todo]


def _parse_here(files: list[SourceFile], progress: Progress | None, done: int, total: int) -> list[FileFacts | SkippedFile]:
    results = []
    for source_file in files:
        results.append(parse_file(source_file))
        done += 1
        if progress:
            progress(done, total)
    return results


def collect_facts(
    files: list[SourceFile], cache: FactsCache | None, progress: Progress | None = None
) -> tuple[list[FileFacts], list[SkippedFile], int]:
    """Facts for every file, from the cache where the file is unchanged; and how many were parsed."""
    facts: list[FileFacts] = []
    skipped: list[SkippedFile] = []
    todo: list[SourceFile] = []
    stats: dict[str, os.stat_result] = {}
    for source_file in files:
        try:
            stat = source_file.path.stat()
        except OSError as exc:
            skipped.append(unreadable(source_file.rel, exc))
            continue
        stats[source_file.rel] = stat
        hit = cache.lookup_stat(source_file.rel, source_file.module, stat) if cache else None
        if hit is not None:
            facts.append(hit)
        else:
            todo.append(source_file)
    if cache and todo:
        still: list[SourceFile] = []
        for source_file in todo:
            try:
                data = source_file.path.read_bytes()
            except OSError as exc:
                skipped.append(unreadable(source_file.rel, exc))
                continue
            hit = cache.lookup_digest(source_file.rel, source_file.module, digest_of(data))
            if hit is not None:
                facts.append(hit)
                cache.store(source_file.rel, source_file.module, stats[source_file.rel], hit)
            else:
                still.append(source_file)
        todo = still
    total = len(files)
    if progress:
        progress(total - len(todo), total)
    for source_file, result in zip(todo, _parse_many(todo, progress, total - len(todo), total)):
        if isinstance(result, SkippedFile):
            skipped.append(result)
        else:
            facts.append(result)
            if cache:
                cache.store(source_file.rel, source_file.module, stats[source_file.rel], result)
    if cache:
        cache.prune({f.rel for f in files})
        cache.save()
    facts.sort(key=lambda f: f.path)
    by_rel = {f.rel: f for f in files}
    skipped = sorted((with_module(s, by_rel[s.path]) for s in skipped), key=lambda s: s.path)
    return facts, skipped, len(todo)


def with_module(skipped: SkippedFile, source_file: SourceFile) -> SkippedFile:
    """The skipped file with the module name discovery gave it: still a module of the
    project (import graph, resolution), only with unknown content."""
    return replace(skipped, module=source_file.module, is_package=source_file.is_package)


def load_project(
    paths: list[Path],
    *,
    config: Config | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> Project:
    """Discover and parse a project (no rules yet)."""
    first = paths[0] if paths else Path.cwd()
    config = config if config is not None else load_config(first.absolute())
    found = discover(paths, config)
    with gc_paused(freeze=True):
        cache = None
        if use_cache:
            cache = FactsCache(cache_dir or default_cache_dir(), found.root)
            cache.load()
        facts, bad, parsed = collect_facts(found.files, cache, progress)
    return Project(
        root=found.root,
        files=facts,
        config=config,
        skipped=sorted(found.skipped + bad, key=lambda s: s.path),
        catalog=load_catalog(),
        parsed=parsed,
        roots=found.roots,
        notes=[note] if (note := unresolved_roots_note(found.root, facts, {f.module for f in found.files}, found.roots)) else [],
    )


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def equivalent_codes(equivalent: str) -> set[str]:
    """"ASYNC210/211/212" -> {"ASYNC210", "ASYNC211", "ASYNC212"}."""
    codes: set[str] = set()
    for group in equivalent.replace(",", " ").split():
        head, *rest = group.split("/")
        codes.add(head.upper())
        prefix = head.rstrip("0123456789")
        codes.update(f"{prefix}{r}".upper() for r in rest)
    return codes


def is_suppressed(finding: Finding, facts: FileFacts | None, config: Config) -> bool:
    """noqa / asyncdoc: ignore comments, per-file-ignores."""
    for pattern, codes in config.per_file_ignores:
        if fnmatch.fnmatch(finding.path, pattern) and _matches(finding.code, codes):
            return True
    if facts is None:
        return False
    for line, codes in facts.suppressions:
        if line == finding.line:
            if "*" in codes or finding.code in codes or equivalent_codes(finding.equivalent) & set(codes):
                return True
    return False


def analyse(project: Project, partial: Partial | None = None) -> tuple[list[Finding], list[Finding]]:
    """(reported, suppressed) findings of every selected rule, in stable order.

    `partial`, if given, gets the findings reported so far after each rule module, so a UI
    can show them while the slower project-wide rules still run."""
    config = project.config
    reported: list[Finding] = []
    suppressed: list[Finding] = []
    by_path = project.index.by_path
    for module_name in RULE_MODULES:
        module = importlib.import_module(module_name)
        for finding in module.check(project):
            if config.select and not _matches(finding.code, config.select):
                continue
            if _matches(finding.code, config.ignore):
                continue
            if is_suppressed(finding, by_path.get(finding.path), config):
                suppressed.append(replace(finding, suppressed=True))
            else:
                reported.append(finding)
        if partial is not None:
            partial(list(reported))
    from asyncdoc_tui.fixes.registry import fixes_for  # the fixes package imports the engine

    unique = {f.sort_key: replace(f, fixes=fixes_for(project, f)) for f in reported}
    return sorted(unique.values(), key=lambda f: f.sort_key), sorted(suppressed, key=lambda f: f.sort_key)


def scan(
    paths: list[Path],
    *,
    config: Config | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> tuple[Project, ScanResult]:
    """Scan paths and return the project (for fixes and rescans) and the result."""
    project = load_project(paths, config=config, use_cache=use_cache, cache_dir=cache_dir, progress=progress)
    return project, result_for(project)


def result_for(project: Project, partial: Partial | None = None) -> ScanResult:
    findings, suppressed = analyse(project, partial)
    return ScanResult(
        root=str(project.root),
        files_scanned=len(project.files),
        findings=findings,
        skipped=list(project.skipped),
        suppressed=suppressed,
        roots=[(root_label(project.root, r.path), r.reason) for r in project.roots],
        notes=list(project.notes),
    )


def rescan_paths(project: Project, paths: list[Path]) -> Project:
    """Re-parse only the given files (after an edit or a fix) and return the new project."""
    updated: list[FileFacts] = []
    removed: set[str] = set()
    skipped = list(project.skipped)
    for path in paths:
        path = path.absolute()
        rel = path.relative_to(project.root).as_posix()
        skipped = [s for s in skipped if s.path != rel]
        old = project.index.by_path.get(rel)
        if not path.exists():
            removed.add(rel)
            continue
        module, is_package = (old.module, old.is_package) if old else module_for(path, [r.path for r in project.roots])
        source_file = SourceFile(path, rel, module, is_package)
        result = parse_file(source_file)
        if isinstance(result, SkippedFile):
            removed.add(rel)
            skipped.append(with_module(result, source_file))
        else:
            updated.append(result)
    return project.replace_files(updated, removed, sorted(skipped, key=lambda s: s.path))
