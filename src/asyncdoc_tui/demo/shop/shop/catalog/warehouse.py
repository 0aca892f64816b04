"""Warehouses; asks stock.py lazily, from inside a function."""

WAREHOUSES: dict[str, set[str]] = {"north": {"mug"}, "south": set()}


def restock_needed(sku: str) -> bool:
    from shop.catalog.stock import in_stock

    return not in_stock(sku)
