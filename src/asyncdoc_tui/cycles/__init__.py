"""Import cycles: the per-statement import graph, its SCCs, and what each cycle does.

Small modules, one job each: `graph` (edges from FileFacts), `scc` (iterative Tarjan),
`witness` (shortest cycle), `cutset` (Eades–Lin–Smyth), `simulate` (import order),
`usage` (how imported names are used), `advice` (remedies), `analysis` (classes
AD301–AD304) and `render` (json/dot/mermaid for `asyncdoc graph`).
"""
