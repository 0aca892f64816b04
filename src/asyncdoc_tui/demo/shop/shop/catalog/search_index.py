"""Search index built from normalised terms."""

import shop.catalog.search

TERMS: dict[str, list[str]] = {}


def lookup(term: str) -> list[str]:
    return TERMS.get(shop.catalog.search.normalise(term), [])
