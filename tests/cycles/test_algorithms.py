"""Tarjan without recursion limits, shortest witnesses, and the weighted cut."""

from __future__ import annotations

from itertools import pairwise

from asyncdoc_tui.cycles.cutset import feedback_arcs
from asyncdoc_tui.cycles.scc import strongly_connected
from asyncdoc_tui.cycles.witness import cycle_through, shortest_cycle


def test_tarjan_handles_a_chain_deeper_than_the_recursion_limit():
    names = [f"m{i:05d}" for i in range(5000)]
    successors = {a: [b] for a, b in pairwise(names)}
    successors[names[-1]] = [names[0]]
    successors["lone"] = [names[0]]
    assert strongly_connected(["lone", *names], successors) == [tuple(names)]


def test_tarjan_separates_components_and_drops_single_modules():
    successors = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c"], "e": ["e"]}
    assert strongly_connected("abcde", successors) == [("a", "b"), ("c", "d")]


def test_shortest_cycle_prefers_two_hops_over_a_longer_loop():
    successors = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["c"]}
    assert shortest_cycle(["a", "b", "c", "d"], successors) == ["c", "d"]
    assert cycle_through("a", successors) == ["a", "b", "c"]
    assert cycle_through("a", successors, limit=2) is None


def test_cut_breaks_every_cycle_and_prefers_the_cheap_edge():
    weights = {("a", "b"): 2, ("b", "a"): 1, ("b", "c"): 2, ("c", "a"): 2}
    cut = feedback_arcs(["a", "b", "c"], weights)
    assert cut == [("b", "a"), ("c", "a")] or cut == [("a", "b")]
    remaining = {pair for pair in weights if pair not in cut}
    successors: dict[str, list[str]] = {}
    for source, target in sorted(remaining):
        successors.setdefault(source, []).append(target)
    assert strongly_connected("abc", successors) == []
    assert feedback_arcs(["a", "b"], {("a", "b"): 2, ("b", "a"): 1}) == [("b", "a")]
