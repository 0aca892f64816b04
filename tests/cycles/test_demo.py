"""The embedded demo has one cycle of each class, and its AD301 really fails in Python."""

from __future__ import annotations

import subprocess
import sys

from asyncdoc_tui.demo import demo_path
from asyncdoc_tui.rules.cycles import check
from asyncdoc_tui.scan.engine import load_project


def test_demo_has_one_cycle_of_each_class():
    project = load_project([demo_path()], use_cache=False)
    found = {f.code: f.extras["modules"] for f in check(project)}
    assert found == {
        "AD301": ["shop.catalog.price_set", "shop.catalog.product"],
        "AD302": ["shop.catalog.search", "shop.catalog.search_index"],
        "AD303": ["shop.catalog.stock", "shop.catalog.warehouse"],
        "AD304": ["shop.catalog.customer", "shop.catalog.review"],
    }


def test_demo_ad301_entries_fail_and_the_others_import():
    project = load_project([demo_path()], use_cache=False)
    (ad301,) = [f for f in check(project) if f.code == "AD301"]
    catalog = sorted(f.module for f in project.files if f.module.startswith("shop.catalog."))
    for module in catalog:
        done = subprocess.run(
            [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(demo_path())!r}); import {module}"],
            check=False,
        capture_output=True,
            text=True,
            timeout=60,
        )
        failed = done.returncode != 0 and "partially initialized module" in done.stderr
        assert failed == (module in ad301.extras["failing_entries"]), (module, done.stderr[-300:])
