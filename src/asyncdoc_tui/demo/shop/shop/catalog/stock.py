"""Stock levels (AD303 with warehouse.py: the cycle is closed by a function-local import)."""

from shop.catalog.warehouse import WAREHOUSES


def in_stock(sku: str) -> bool:
    return any(sku in items for items in WAREHOUSES.values())
