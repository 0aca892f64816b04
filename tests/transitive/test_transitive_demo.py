"""The embedded demo project shows a transitive chain two modules deep."""

from __future__ import annotations

from asyncdoc_tui.demo import demo_path
from asyncdoc_tui.rules import transitive
from asyncdoc_tui.scan.engine import load_project


def test_demo_has_the_storefront_chain_and_nothing_offloaded_or_sync():
    project = load_project([demo_path()], use_cache=False)
    findings = [f for f in transitive.check(project) if f.path == "shop/storefront.py"]
    assert [(f.line, f.extras["entry"]["path"]) for f in findings] == [(15, "/store/price/{currency}")]
    [finding] = findings
    assert [f"{e.path}:{e.line}" for e in finding.evidence] == [
        "shop/storefront.py:15",
        "shop/services/pricing.py:8",
        "shop/services/rates.py:9",
    ]
