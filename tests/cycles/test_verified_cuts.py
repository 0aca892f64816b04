"""AD301 evidence is the chain Python fails on, and the cut offered is replayed first."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from asyncdoc_tui.cycles.usage import IMPORT_TIME, usage_of
from asyncdoc_tui.fixes import apply_fixes, compute_fix, fixes_for
from asyncdoc_tui.rules import cycles
from asyncdoc_tui.scan.project import Project

ProjectOf = Callable[[dict[str, str]], Project]

# Django's admin shape: the site module instantiates its class at import time, so an
# import moved into `__init__` would still run during the import and fail.
ADMIN = {
    "pkg/__init__.py": "",
    "pkg/sites.py": (
        "from pkg import actions\n\n\n"
        "class AdminSite:\n"
        "    def __init__(self, name='admin'):\n"
        "        self._actions = {'delete_selected': actions.delete_selected}\n"
        "        self.name = name\n\n\n"
        "site = AdminSite()\n"
    ),
    "pkg/actions.py": "from pkg.sites import site\n\n\ndef delete_selected(request):\n    return site.name\n",
}

# Both sides need the other's names while they are imported: no import can be deferred.
TANGLED = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg.b import Base\n\n\nclass A(Base):\n    pass\n",
    "pkg/b.py": "class Base:\n    pass\n\n\nfrom pkg.a import A\n\nREGISTRY = {'a': A}\n",
}


def _imports_cleanly(root: Path, module: str) -> bool:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=root, capture_output=True, text=True)
    return done.returncode == 0


def test_evidence_is_the_failing_chain_ending_in_the_error(project_of: ProjectOf) -> None:
    project = project_of(ADMIN)
    (finding,) = list(cycles.check(project))
    assert finding.code == "AD301"
    assert [(e.path, e.line) for e in finding.evidence] == [("pkg/sites.py", 1), ("pkg/actions.py", 1)]
    assert finding.evidence[-1].note.endswith(
        "ImportError: cannot import name 'site' from partially initialized module 'pkg.sites' "
        "(most likely due to a circular import) (pkg/sites.py)"
    )


def test_a_use_inside_a_method_that_runs_at_import_time_cannot_be_deferred(project_of: ProjectOf, tmp_path: Path) -> None:
    project = project_of(ADMIN)
    assert not _imports_cleanly(tmp_path, "pkg.sites")  # the crash is real
    (finding,) = list(cycles.check(project))
    sites = project.index.by_path["pkg/sites.py"]
    assert usage_of(project, sites, ("actions",)).kind == IMPORT_TIME  # `AdminSite.__init__` runs at import time
    assert [a["path"] for a in finding.extras["advice"]] == ["pkg/actions.py"]
    assert finding.alternative.startswith("move `from pkg.sites import site` (pkg/actions.py:1) into the function(s)")
    assert all(c["fixes"] is True for c in finding.extras["cut"])
    (ref,) = [r for r in fixes_for(project, finding) if r.id == "local-import"]
    report = apply_fixes(project, [compute_fix(project, finding, ref.id)], cache_dir=tmp_path / "cache")
    assert report.applied and not report.refused
    assert _imports_cleanly(tmp_path, "pkg.sites") and _imports_cleanly(tmp_path, "pkg.actions")


def test_a_cut_whose_replay_still_fails_is_not_offered_as_a_fix(project_of: ProjectOf, tmp_path: Path) -> None:
    project = project_of(TANGLED)
    assert not _imports_cleanly(tmp_path, "pkg.a")
    (finding,) = list(cycles.check(project))
    assert finding.code == "AD301"
    assert all(c["fixes"] is False for c in finding.extras["cut"])
    assert "still fails in the import-order replay" in finding.alternative
    assert [r.id for r in fixes_for(project, finding)] == []


# One SCC holding two eager cycles, joined only by imports inside functions, and a module
# outside that imports into the failing one.
TWO_IN_ONE = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg.b import B\n\n\nclass A:\n    pass\n\n\ndef later():\n    from pkg.c import C\n    return C\n",
    "pkg/b.py": "from pkg.a import A\n\n\nclass B:\n    pass\n",
    "pkg/c.py": "import pkg.d\n\n\nclass C:\n    pass\n\n\ndef later():\n    from pkg.a import A\n    return A\n",
    "pkg/d.py": "import pkg.c\n",
    "pkg/api.py": "from pkg.b import B\n",
}


def test_each_eager_cycle_of_a_big_scc_is_its_own_finding(project_of: ProjectOf, tmp_path: Path) -> None:
    project = project_of(TWO_IN_ONE)
    found = {f.code: f for f in cycles.check(project)}
    assert sorted(found) == ["AD301", "AD302"]
    assert found["AD301"].extras["modules"] == ["pkg.a", "pkg.b"]
    assert found["AD302"].extras["modules"] == ["pkg.c", "pkg.d"]
    # Every module that fails when imported first, the outside importer included, as Python says.
    assert found["AD301"].extras["failing_entries"] == ["pkg.a", "pkg.b", "pkg.api"]
    assert "(2 of 2 modules, and 1 importing module outside it)" in found["AD301"].message
    for module in ("pkg.a", "pkg.b", "pkg.api"):
        assert not _imports_cleanly(tmp_path, module)
    for module in ("pkg.c", "pkg.d"):
        assert _imports_cleanly(tmp_path, module)


# Django's admin `sites.py` shape: one statement imports a class and a submodule; the
# class is used in two methods, the submodule in `__init__`.
SHARED_STATEMENT = {
    "admin/__init__.py": "from admin.options import ModelAdmin\nfrom admin.sites import AdminSite, site\n",
    "admin/options.py": "class ModelAdmin:\n    pass\n",
    "admin/actions.py": "def delete_selected(request):\n    return request\n",
    "admin/sites.py": (
        "from admin import ModelAdmin, actions\n\n\n"
        "class AdminSite:\n"
        "    def __init__(self):\n"
        "        self._actions = {'delete_selected': actions.delete_selected}\n\n"
        "    def register(self, model, admin_class=None):\n"
        "        return admin_class or ModelAdmin\n\n\n"
        "def site():\n"
        "    return AdminSite()\n"
    ),
}


def test_a_moved_statement_reaches_every_use_of_every_name_it_binds(project_of: ProjectOf, tmp_path: Path) -> None:
    project = project_of(SHARED_STATEMENT)
    (finding,) = [f for f in cycles.check(project) if f.path.startswith("admin/")]
    (ref,) = [r for r in fixes_for(project, finding) if r.id == "local-import"]
    fixed = compute_fix(project, finding, ref.id).new_text
    init, register = fixed.split("def register")
    assert "from admin import ModelAdmin, actions" in init and "from admin import ModelAdmin, actions" in register
    apply_fixes(project, [compute_fix(project, finding, ref.id)], cache_dir=tmp_path / "cache")
    done = subprocess.run(
        [sys.executable, "-c", "import admin; print(admin.site()._actions['delete_selected'].__name__)"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert done.stdout.strip() == "delete_selected", done.stderr
