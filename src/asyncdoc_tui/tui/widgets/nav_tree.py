"""Navigation tree: findings grouped by rule family → rule, and by file.

Picking a node narrows the table to that family, rule or file (a `Scope`).
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from asyncdoc_tui.model import Finding
from asyncdoc_tui.rules.catalog import RuleInfo
from asyncdoc_tui.tui.view import FAMILIES, Scope, family_of


class NavTree(Tree[Scope]):
    """Counts per family, rule and file; selecting a node sets the table's scope."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Findings", data=Scope(), id=id)
        self.show_root = False
        self.guide_depth = 2

    def rebuild(self, findings: list[Finding], rules: dict[str, RuleInfo], current: Scope) -> None:
        """Replace the nodes with counts for `findings`; keep the cursor on `current`."""
        self.clear()
        codes = Counter(f.code for f in findings)
        paths = Counter(f.path for f in findings)
        families = Counter(family_of(f.code) for f in findings)
        target: TreeNode[Scope] | None = self.root.add_leaf(f"All findings ({len(findings)})", data=Scope())
        by_rule = self.root.add("By rule", data=Scope(), expand=True)
        order = [name for _, name in FAMILIES] + ["Other"]
        for family in order:
            if not families[family]:
                continue
            node = by_rule.add(f"{family} ({families[family]})", data=Scope("family", family), expand=True)
            if current == node.data:
                target = node
            for code in sorted(c for c in codes if family_of(c) == family):
                info = rules.get(code)
                title = f" {info.title}" if info else ""
                leaf = node.add_leaf(f"{code}{title} ({codes[code]})", data=Scope("code", code))
                if current == leaf.data:
                    target = leaf
        by_file = self.root.add("By file", data=Scope(), expand=True)
        for path in sorted(paths):
            leaf = by_file.add_leaf(f"{path} ({paths[path]})", data=Scope("path", path))
            if current == leaf.data:
                target = leaf
        if target is not None:
            self.move_cursor(target, animate=False)
