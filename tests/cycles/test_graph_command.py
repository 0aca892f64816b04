"""`asyncdoc graph` prints the module graph with edge attributes in three formats."""

from __future__ import annotations

import json

from cycle_cases import CASES

from asyncdoc_tui.cli import main


def _graph(tmp_path, capsys, *options: str) -> str:
    CASES["type_checking_only"].write(tmp_path)
    assert main(["graph", str(tmp_path), "--no-cache", *options]) == 0
    return capsys.readouterr().out


def test_json_has_edges_with_attributes_and_cycles(tmp_path, capsys):
    data = json.loads(_graph(tmp_path, capsys, "--format", "json"))
    assert [m["name"] for m in data["modules"]] == ["app", "app.a", "app.b"]
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert edges[("app.a", "app.b")]["style"] == "type-only"
    assert edges[("app.a", "app.b")]["imports"][0]["guard"] == "type_checking"
    assert edges[("app.b", "app.a")]["imports"][0]["binding"] == "name"
    assert data["cycles"] == [{"code": "AD304", "modules": ["app.a", "app.b"], "failing_entries": []}]


def test_scc_only_dot_and_mermaid(tmp_path, capsys):
    dot = _graph(tmp_path, capsys, "--format", "dot", "--scc-only")
    assert dot.startswith("digraph imports {")
    assert '"app.a" -> "app.b" [label="6", style=dotted];' in dot
    assert '"app";' not in dot
    mermaid = _graph(tmp_path, capsys, "--format", "mermaid")
    assert mermaid.splitlines()[0] == "flowchart LR"
    assert "m_app_b -->|1| m_app_a" in mermaid
    assert "m_app_a -.->|6 type-only| m_app_b" in mermaid
