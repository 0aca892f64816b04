"""Which files a scan sees, and the module names it gives them."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from asyncdoc_tui.scan.discover import discover, git_ignored
from asyncdoc_tui.scan.engine import load_project

Write = Callable[[dict[str, str | bytes]], Path]


def _modules(root: Path) -> dict[str, str]:
    files = discover([root]).files
    return {f.rel: f.module for f in files}


def test_venvs_and_tool_folders_are_skipped(write: Write) -> None:
    root = write(
        {
            "app.py": "",
            "env1/pyvenv.cfg": "home = /usr/bin\n",
            "env1/lib/site.py": "",
            "node_modules/pkg/x.py": "",
            "build/lib/app.py": "",
            "__pycache__/x.py": "",
            ".tox/py/x.py": "",
            "pkg.egg-info/x.py": "",
        }
    )
    assert list(_modules(root)) == ["app.py"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_gitignore_is_honoured_inside_a_git_work_tree(write: Write) -> None:
    root = write(
        {
            ".gitignore": "generated/\n*_pb2.py\n",
            "app.py": "",
            "untracked.py": "",
            "generated/models.py": "",
            "proto_pb2.py": "",
            "env1/pyvenv.cfg": "",
            "env1/lib/x.py": "",
        }
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "app.py", ".gitignore"], cwd=root, check=True)
    assert list(_modules(root)) == ["app.py", "untracked.py"]


def test_git_ignored_agrees_with_discovery_for_single_paths(write: Write) -> None:
    """Watch mode hears about files one at a time; it must drop the same ones discovery does."""
    root = write({".gitignore": "generated/\n*_pb2.py\n", "app.py": "", "generated/models.py": "", "proto_pb2.py": ""})
    assert git_ignored(root, [root / "app.py"]) == set()  # not a work tree yet: nothing to ask
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / "tracked_pb2.py").write_text("")
    subprocess.run(["git", "add", "-f", "tracked_pb2.py"], cwd=root, check=True)
    candidates = [root / name for name in ("app.py", "generated/models.py", "proto_pb2.py", "tracked_pb2.py", "gone.py")]
    listed = {root / f.rel for f in discover([root]).files}
    assert git_ignored(root, candidates) == {root / "generated/models.py", root / "proto_pb2.py"}
    assert listed == {root / "app.py", root / "tracked_pb2.py"}


def test_src_layout_flat_layout_nested_and_namespace_packages(write: Write) -> None:
    root = write(
        {
            "src/shop/__init__.py": "",
            "src/shop/api/__init__.py": "",
            "src/shop/api/routes.py": "",
            "src/shop/plugins/stripe.py": "",  # namespace package: no __init__
            "tools/release.py": "",
        }
    )
    assert _modules(root) == {
        "src/shop/__init__.py": "shop",
        "src/shop/api/__init__.py": "shop.api",
        "src/shop/api/routes.py": "shop.api.routes",
        "src/shop/plugins/stripe.py": "shop.plugins.stripe",
        "tools/release.py": "tools.release",
    }


def test_scanning_a_package_folder_names_modules_from_above_it(write: Write) -> None:
    root = write({"app/__init__.py": "", "app/core/__init__.py": "", "app/core/db.py": ""})
    files = discover([root / "app" / "core"]).files
    assert [(f.rel, f.module) for f in files] == [("__init__.py", "app.core"), ("db.py", "app.core.db")]


def test_symlink_loops_end_in_files_skipped_and_the_scan_goes_on(write: Write) -> None:
    root = write({"app.py": "import time\n", "pkg/mod.py": ""})
    os.symlink(root, root / "pkg" / "again")  # directory loop: not followed
    os.symlink("b.py", root / "a.py")  # file loop: a.py -> b.py -> a.py
    os.symlink("a.py", root / "b.py")
    project = load_project([root], use_cache=False)
    assert [f.path for f in project.files] == ["app.py", "pkg/mod.py"]
    reasons = {s.path: s.reason for s in project.skipped}
    assert set(reasons) == {"a.py", "b.py"}
    assert all("symbolic links" in reason for reason in reasons.values())


def test_a_missing_path_is_reported_and_the_others_scanned(write: Write) -> None:
    root = write({"app.py": ""})
    project = load_project([root, root / "nope.py"], use_cache=False)
    assert [f.path for f in project.files] == ["app.py"]
    assert [(s.path, s.reason) for s in project.skipped] == [("nope.py", "no such file or directory")]
