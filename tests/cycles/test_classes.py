"""Each kind of cycle gets its class, its failing entries and the chain that fails."""

from __future__ import annotations

import pytest
from cycle_cases import CASES

from asyncdoc_tui.cycles.analysis import analyse_cycles
from asyncdoc_tui.rules.cycles import check


@pytest.mark.parametrize("name", sorted(CASES))
def test_class_entries_and_chain(name, project_of):
    case = CASES[name]
    _, cycles = analyse_cycles(project_of(case.files))
    assert [c.code for c in cycles] == [case.code]
    cycle = cycles[0]
    assert cycle.failing_entries == case.failing
    if case.failing:
        first = cycle.failures[0]
        assert tuple(f"{h.path}:{h.line}" for h in first.chain) == case.chain
        assert first.message.startswith(f"ImportError: cannot import name '{first.name}' from partially initialized module")


def test_finding_json_fields(project_of):
    findings = list(check(project_of(CASES["order_dependent"].files)))
    assert len(findings) == 1
    data = findings[0].to_json()
    assert (data["code"], data["severity"], data["path"], data["line"]) == ("AD301", "error", "app/a.py", 1)
    assert data["modules"] == ["app.a", "app.b"]
    assert data["failing_entries"] == ["app.a"]
    # The witness starts at the module that is partially initialised when the import fails.
    assert [(h["path"], h["line"]) for h in data["witness"]] == [("app/a.py", 1), ("app/b.py", 5)]
    assert [(e["path"], e["line"]) for e in data["evidence"]] == [("app/a.py", 1), ("app/b.py", 5)]
    assert data["chain"]["entry"] == "app.a"
    assert data["chain"]["error"].endswith("(most likely due to a circular import) (app/a.py)")
    assert data["cut"] and data["advice"]
    assert {"remedy", "path", "line", "names", "usage", "future_annotations"} <= set(data["advice"][0])


def test_only_type_checking_is_info_and_function_local_is_info(project_of):
    (finding,) = check(project_of(CASES["type_checking_only"].files))
    assert (finding.code, finding.severity.value) == ("AD304", "info")


def test_noqa_on_the_witness_line_suppresses(project_of):
    from asyncdoc_tui.scan.engine import analyse

    files = dict(CASES["symmetric_names"].files)
    files["app/a.py"] = files["app/a.py"].replace("from app.b import B", "from app.b import B  # noqa: AD301")
    reported, suppressed = analyse(project_of(files))
    assert not [f for f in reported if f.code.startswith("AD3")]
    assert [f.code for f in suppressed] == ["AD301"]


def test_external_and_self_imports_are_not_edges(project_of):
    files = {
        "app/__init__.py": "from app import util\n",
        "app/util.py": "import json\nimport app.util\nfrom os import path\n",
    }
    assert analyse_cycles(project_of(files))[1] == []
