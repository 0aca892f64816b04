"""Storefront routes: the blocking HTTP call hides two modules away, behind a method."""

import asyncio

from fastapi import APIRouter

from shop.services.pricing import PriceService as Prices

router = APIRouter(prefix="/store")


@router.get("/price/{currency}")
async def price(currency: str):
    # AD201: Prices().price_in -> current_rate -> requests.get
    return {"price": Prices().price_in(10.0, currency)}


@router.get("/price-offloaded/{currency}")
async def price_offloaded(currency: str):
    # Runs in a worker thread: not a finding.
    return {"price": await asyncio.to_thread(Prices().price_in, 10.0, currency)}


@router.get("/price-sync/{currency}")
def price_sync(currency: str):
    # A sync route runs in FastAPI's thread pool: not a finding.
    return {"price": Prices().price_in(10.0, currency)}
