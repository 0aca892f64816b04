"""Products (AD301 with price_set.py: each imports a name from the other at module level)."""

from pydantic import BaseModel

from shop.catalog.price_set import PriceSet


class Product(BaseModel):
    name: str
    prices: PriceSet | None = None
