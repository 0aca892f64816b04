"""Partner API, a sub-application: the async lessons of the FastAPI guide, each missed once.

A client built per request (AD401, inline and through a helper), two independent awaits
in a row (AD403), `get_event_loop()` in a coroutine (AD402) and a nested `asyncio.run` (AD404).
"""

import asyncio

import httpx
from fastapi import FastAPI

from shop.settings import PAYMENTS_URL

partners = FastAPI(title="Partner API")


def payments_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=PAYMENTS_URL, timeout=5)


@partners.get("/status")
async def status():
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(f"{PAYMENTS_URL}/status")
    return response.json()


@partners.get("/balance")
async def balance():
    client = payments_client()
    response = await client.get("/balance")
    await client.aclose()
    return response.json()


async def fetch_invoice(number: int) -> dict:
    await asyncio.sleep(0.05)
    return {"number": number}


async def fetch_customer(number: int) -> dict:
    await asyncio.sleep(0.05)
    return {"invoice": number, "name": "Ada"}


@partners.get("/invoices/{number}")
async def invoice(number: int):
    invoice = await fetch_invoice(number)
    customer = await fetch_customer(number)
    return {"invoice": invoice, "customer": customer}


def checksum(payload: bytes) -> int:
    return sum(payload) % 251


@partners.post("/checksum")
async def checksum_route(payload: bytes = b""):
    loop = asyncio.get_event_loop()
    return {"checksum": await loop.run_in_executor(None, checksum, payload)}


async def count_partners() -> int:
    return 3


def partner_count() -> int:
    return asyncio.run(count_partners())


@partners.get("/count")
async def count():
    return {"count": partner_count()}
