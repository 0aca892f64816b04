"""Price sets; importing this module first raises ImportError (see product.py)."""

from pydantic import BaseModel

from shop.catalog.product import Product


class PriceSet(BaseModel):
    product: Product | None = None
    amounts: list[float] = []
