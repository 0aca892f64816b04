"""Search (AD302 with search_index.py: they import each other as modules, which works)."""

from shop.catalog import search_index


def search(term: str) -> list[str]:
    return search_index.lookup(term.lower())


def normalise(term: str) -> str:
    return term.strip().lower()
