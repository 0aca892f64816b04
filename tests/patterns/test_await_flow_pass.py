"""The AD403 tree pass runs with the facts, and cached facts without it are re-parsed."""

from __future__ import annotations

from pathlib import Path

from asyncdoc_tui.rules.await_flow import PASS_NAME, AwaitGroup
from asyncdoc_tui.scan.cache import FactsCache
from asyncdoc_tui.scan.engine import load_project

SOURCE = '''
class Service:
    async def load(self, a, b):
        x = await fetch(a)
        y = await fetch(b)
        return x, y
'''


def test_groups_are_stored_in_the_facts_and_survive_the_cache(tmp_path: Path) -> None:
    (tmp_path / "svc.py").write_text(SOURCE, encoding="utf-8")
    cache = tmp_path / "cache"
    first = load_project([tmp_path / "svc.py"], cache_dir=cache)
    groups = first.files[0].extra[PASS_NAME]
    assert groups == (AwaitGroup("Service.load", groups[0].steps),)
    assert [s.target for s in groups[0].steps] == ["x", "y"]
    again = load_project([tmp_path / "svc.py"], cache_dir=cache)
    assert again.files[0].extra[PASS_NAME] == groups


def test_cached_facts_without_the_pass_are_not_used(tmp_path: Path) -> None:
    (tmp_path / "svc.py").write_text(SOURCE, encoding="utf-8")
    project = load_project([tmp_path / "svc.py"], use_cache=False)
    facts = project.files[0]
    cache = FactsCache(tmp_path / "cache", project.root)
    stat = (tmp_path / "svc.py").stat()
    cache.store(facts.path, facts.module, stat, facts._replace(extra={}))
    assert cache.lookup_stat(facts.path, facts.module, stat) is None
    cache.store(facts.path, facts.module, stat, facts)
    assert cache.lookup_stat(facts.path, facts.module, stat) is facts
